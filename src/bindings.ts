import {
  Binding,
  BindingScope,
  Constructor,
  createBindingFromClass,
} from '@loopback/core';
import {createBodyParserBinding} from '@loopback/rest';
import {ConversationAccessInterceptor} from './controllers';
import {ChatServiceBindings} from './keys';
import {
  BearerTokenStrategy,
  ChatAuthenticationStrategy,
  ChatStreamAuthenticationStrategy,
  ConsoleLoggerProvider,
  JwtTokenVerifierProvider,
  LocalDiskStorageProvider,
} from './providers';
import {realtimeBindings} from './realtime';
import {chatOrmClasses} from './repositories';
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
} from './services';
import {ResolvedChatServiceConfig} from './types';

type Keyed = [{key: string}, Constructor<unknown>];

const bind = ([key, cls]: Keyed, scope?: BindingScope) =>
  createBindingFromClass(cls, {key: key.key, defaultScope: scope});

/** Everything the component binds, for a resolved configuration. */
export function chatServiceBindings(
  config: ResolvedChatServiceConfig,
): Binding[] {
  return [
    Binding.bind(ChatServiceBindings.RESOLVED_CONFIG).to(config),
    Binding.bind(ChatServiceBindings.DATASOURCE).toAlias(
      `datasources.${config.datasourceName}`,
    ),
    ...dataBindings(config),
    ...serviceBindings(),
    ...realtimeBindings(config),
    ...authenticationBindings(),
    createBindingFromClass(ChatErrorMiddlewareProvider, {
      defaultScope: BindingScope.SINGLETON,
    }),
    createBindingFromClass(ChatSpecEnhancer),
    createBodyParserBinding(ChatJsonBodyParser),
  ];
}

/** The database and repositories of the configured ORM (same class names). */
function dataBindings(config: ResolvedChatServiceConfig): Binding[] {
  const orm = chatOrmClasses(config.orm);
  const pairs: Keyed[] = [
    [ChatServiceBindings.DATABASE, orm.ChatDbProvider],
    [ChatServiceBindings.CONVERSATION_REPOSITORY, orm.ConversationRepository],
    [ChatServiceBindings.MEMBER_REPOSITORY, orm.MemberRepository],
    [ChatServiceBindings.MESSAGE_REPOSITORY, orm.MessageRepository],
    [ChatServiceBindings.EVENT_REPOSITORY, orm.EventRepository],
    [ChatServiceBindings.ATTACHMENT_REPOSITORY, orm.AttachmentRepository],
    [
      ChatServiceBindings.ATTACHMENT_DOWNLOAD_REPOSITORY,
      orm.AttachmentDownloadRepository,
    ],
    [ChatServiceBindings.ATTACHMENT_STORAGE, LocalDiskStorageProvider],
  ];
  return pairs.map(pair => bind(pair, BindingScope.SINGLETON));
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
