import {
  asLifeCycleObserver,
  Binding,
  BindingScope,
  Constructor,
  createBindingFromClass,
} from '@loopback/core';
import {createBodyParserBinding} from '@loopback/rest';
import {ConversationAccessInterceptor} from './controllers';
import {configuredBindings} from './configured-bindings';
import {ChatServiceBindings} from './keys';
import {
  AttachmentStorageCheck,
  AttachmentStorageProvider,
  BearerTokenStrategy,
  ChatAuthenticationStrategy,
  ChatStreamAuthenticationStrategy,
  ConsoleLoggerProvider,
  JwtTokenVerifierProvider,
} from './providers';
import {realtimeBindings} from './realtime';
import {
  ChatErrorMiddlewareProvider,
  ChatJsonBodyParser,
  ChatSpecEnhancer,
} from './rest';
import {
  AccessService,
  AttachmentService,
  ConversationService,
  MemberDetails,
  MemberService,
  MessageHooks,
  MessageService,
  ReadStateService,
  SchemaCheck,
} from './services';

type Keyed = [{key: string}, Constructor<unknown>];

const bind = ([key, cls]: Keyed, scope?: BindingScope) =>
  createBindingFromClass(cls, {key: key.key, defaultScope: scope});

/**
 * Everything the component binds. Those that depend on the configuration
 * read it when first resolved (`configuredBindings`).
 */
export function chatServiceBindings(): Binding[] {
  return [
    ...configuredBindings(),
    // checks the database at `init`, before the other observers start
    createBindingFromClass(SchemaCheck, {
      key: ChatServiceBindings.SCHEMA_CHECK,
    }).apply(asLifeCycleObserver),
    // creates the attachment storage at `init`: a bad storage configuration
    // fails the start
    createBindingFromClass(AttachmentStorageCheck).apply(asLifeCycleObserver),
    ...serviceBindings(),
    ...realtimeBindings(),
    ...authenticationBindings(),
    createBindingFromClass(ChatErrorMiddlewareProvider, {
      defaultScope: BindingScope.SINGLETON,
    }),
    createBindingFromClass(ChatSpecEnhancer),
    createBodyParserBinding(ChatJsonBodyParser),
  ];
}

function serviceBindings(): Binding[] {
  const pairs: Keyed[] = [
    [ChatServiceBindings.LOGGER, ConsoleLoggerProvider],
    [ChatServiceBindings.ACCESS_SERVICE, AccessService],
    [ChatServiceBindings.ACCESS_INTERCEPTOR, ConversationAccessInterceptor],
    [ChatServiceBindings.MESSAGE_HOOKS, MessageHooks],
    [ChatServiceBindings.MEMBER_DETAILS, MemberDetails],
    [ChatServiceBindings.CONVERSATION_SERVICE, ConversationService],
    [ChatServiceBindings.MEMBER_SERVICE, MemberService],
    [ChatServiceBindings.MESSAGE_SERVICE, MessageService],
    [ChatServiceBindings.READ_STATE_SERVICE, ReadStateService],
    [ChatServiceBindings.ATTACHMENT_SERVICE, AttachmentService],
    [ChatServiceBindings.ATTACHMENT_STORAGE, AttachmentStorageProvider],
  ];
  return pairs.map(pair => bind(pair, BindingScope.SINGLETON));
}

/**
 * The strategies the controllers name, which delegate to the one bound at
 * `AUTH_STRATEGY` (by default: bearer JWTs checked by `TOKEN_VERIFIER`).
 */
function authenticationBindings(): Binding[] {
  return [
    bind(
      [ChatServiceBindings.TOKEN_VERIFIER, JwtTokenVerifierProvider],
      BindingScope.SINGLETON,
    ),
    bind(
      [ChatServiceBindings.AUTH_STRATEGY, BearerTokenStrategy],
      BindingScope.SINGLETON,
    ),
    // per request: a host's strategy at AUTH_STRATEGY may inject
    // request-scoped bindings
    createBindingFromClass(ChatAuthenticationStrategy),
    createBindingFromClass(ChatStreamAuthenticationStrategy),
  ];
}
