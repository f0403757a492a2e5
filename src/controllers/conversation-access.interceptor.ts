import {
  inject,
  injectable,
  intercept,
  Interceptor,
  InvocationContext,
  MetadataAccessor,
  MetadataInspector,
  MethodDecoratorFactory,
  Next,
  Provider,
} from '@loopback/core';
// the key `@param` records its parameters under (not in the package's index)
import {OAI3Keys} from '@loopback/openapi-v3/dist/keys';
import {SecurityBindings} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {AccessLevel, AccessService} from '../services';
import {ChatUser} from '../types';

/** What `@requireAccess` records on a route method. */
export interface AccessRequirement {
  level: AccessLevel;
  /** Index of the argument that holds the conversation id. */
  conversationIdIndex: number;
}

/** Which argument of the route holds the conversation id. */
export interface RequireAccessOptions {
  /** Name of the method's `@param` (path or query) that is the conversation id. */
  conversationId: string;
}

const ACCESS_REQUIREMENT = MetadataAccessor.create<
  AccessRequirement,
  MethodDecorator
>('chat-service:access-requirement');

/**
 * The caller must hold `level` in the conversation whose id is the route's
 * `@param` named `options.conversationId`, before the handler runs; the
 * membership is then bound at `ChatServiceBindings.CONVERSATION_ACCESS`.
 * One decorator does it all: it registers the access interceptor on the
 * method. A name that no `@param` of the method has is an error when the
 * class is defined. Put it above the route decorator's parameters, as any
 * method decorator: parameter decorators are applied first.
 *
 * ```ts
 * @get('/conversations/{id}/members')
 * @requireAccess('member', {conversationId: 'id'})
 * async list(@param.path.string('id') id: string) {}
 * ```
 */
export function requireAccess(
  level: AccessLevel,
  options: RequireAccessOptions,
): MethodDecorator {
  return (target, member, descriptor) => {
    const methodName = String(member);
    const requirement: AccessRequirement = {
      level,
      conversationIdIndex: parameterIndex(
        target,
        methodName,
        options.conversationId,
      ),
    };
    MethodDecoratorFactory.createDecorator(ACCESS_REQUIREMENT, requirement, {
      decoratorName: '@requireAccess',
    })(target, member, descriptor);
    intercept(ChatServiceBindings.ACCESS_INTERCEPTOR)(
      target,
      methodName,
      descriptor,
    );
  };
}

/** What `@requireAccess` recorded on `methodName` of `target`, if anything. */
export function getAccessRequirement(
  target: object,
  methodName: string,
): AccessRequirement | undefined {
  return MetadataInspector.getMethodMetadata(
    ACCESS_REQUIREMENT,
    target,
    methodName,
  );
}

/** Index of the `@param` named `name` of a method; throws when there is none. */
function parameterIndex(target: Object, methodName: string, name: string) {
  const params =
    MetadataInspector.getAllParameterMetadata(
      OAI3Keys.PARAMETERS_KEY,
      target,
      methodName,
    ) ?? [];
  const index = params.findIndex(p => p?.name === name);
  if (index < 0) {
    const owner = typeof target === 'function' ? target : target.constructor;
    throw new Error(
      `@requireAccess on ${owner.name}.${methodName}: the method has no ` +
        `@param named '${name}' to read the conversation id from`,
    );
  }
  return index;
}

/**
 * Enforces `@requireAccess` in one place and binds the caller's membership
 * at `ChatServiceBindings.CONVERSATION_ACCESS` for the handler.
 */
@injectable({tags: {key: ChatServiceBindings.ACCESS_INTERCEPTOR.key}})
export class ConversationAccessInterceptor implements Provider<Interceptor> {
  constructor(
    @inject(ChatServiceBindings.ACCESS_SERVICE) private access: AccessService,
  ) {}

  value(): Interceptor {
    return (ctx, next) => this.checkAccess(ctx, next);
  }

  private async checkAccess(ctx: InvocationContext, next: Next) {
    const requirement = getAccessRequirement(ctx.target, ctx.methodName);
    if (requirement === undefined) return next();
    const user = await ctx.get<ChatUser>(SecurityBindings.USER);
    const conversationId = ctx.args[requirement.conversationIdIndex] as string;
    const access = await this.access.require(
      user,
      conversationId,
      requirement.level,
    );
    (ctx.parent ?? ctx)
      .bind(ChatServiceBindings.CONVERSATION_ACCESS)
      .to(access);
    return next();
  }
}
