import {
  inject,
  injectable,
  Interceptor,
  InvocationContext,
  MetadataAccessor,
  MetadataInspector,
  MethodDecoratorFactory,
  Next,
  Provider,
} from '@loopback/core';
import {SecurityBindings} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {AccessLevel, AccessService} from '../services';
import {ChatUser} from '../types';

const ACCESS_LEVEL = MetadataAccessor.create<AccessLevel, MethodDecorator>(
  'chat-service:access-level',
);

/**
 * Marks a route whose first argument is a conversation id: the caller must
 * hold `level` in that conversation before the handler runs.
 */
export function requireAccess(level: AccessLevel = 'member') {
  return MethodDecoratorFactory.createDecorator(ACCESS_LEVEL, level);
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
    const level = MetadataInspector.getMethodMetadata(
      ACCESS_LEVEL,
      ctx.target,
      ctx.methodName,
    );
    if (level === undefined) return next();
    const user = await ctx.get<ChatUser>(SecurityBindings.USER);
    const conversationId = ctx.args[0] as string;
    const access = await this.access.require(user, conversationId, level);
    (ctx.parent ?? ctx)
      .bind(ChatServiceBindings.CONVERSATION_ACCESS)
      .to(access);
    return next();
  }
}
