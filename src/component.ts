import {AuthenticationComponent} from '@loopback/authentication';
import {
  Binding,
  BindingScope,
  Component,
  ContextTags,
  createBindingFromClass,
  inject,
  injectable,
} from '@loopback/core';
import {
  AttachmentController,
  ConversationAccessInterceptor,
  ConversationController,
  EventsController,
  MemberController,
  MessageController,
  ReadStateController,
} from './controllers';
import {ChatServiceBindings} from './keys';
import {realtimeBindings} from './realtime';
import {
  Attachment,
  AttachmentDownload,
  ChatEvent,
  Conversation,
  Member,
  Message,
} from './models';
import {
  BearerTokenStrategy,
  ChatAuthenticationStrategy,
  ChatErrorMiddlewareProvider,
  ChatSpecEnhancer,
  ChatStreamAuthenticationStrategy,
  JwtTokenVerifierProvider,
  LocalDiskStorageProvider,
} from './providers';
import {chatOrmClasses} from './repositories';
import {
  AccessService,
  MemberDetails,
  MessageHooks,
  AttachmentService,
  ConversationService,
  MemberService,
  MessageService,
  ReadStateService,
} from './services';
import {ChatServiceConfig, resolveChatServiceConfig} from './types';

/**
 * Adds chat to a LoopBack application: `app.component(ChatServiceComponent)`.
 * Bind `ChatServiceBindings.CONFIG` and the datasource first.
 */
@injectable({tags: {[ContextTags.KEY]: ChatServiceBindings.COMPONENT}})
export class ChatServiceComponent implements Component {
  components = [AuthenticationComponent];
  models = [
    Conversation,
    Member,
    Message,
    ChatEvent,
    Attachment,
    AttachmentDownload,
  ];
  controllers = [
    ConversationController,
    MemberController,
    MessageController,
    ReadStateController,
    EventsController,
    AttachmentController,
  ];
  bindings: Binding[];

  constructor(
    @inject(ChatServiceBindings.CONFIG, {optional: true})
    config: ChatServiceConfig = {},
  ) {
    const resolved = resolveChatServiceConfig(config);
    const singleton = {defaultScope: BindingScope.SINGLETON};
    // juggler or Sequelize: the same class names, from one of two sets
    const orm = chatOrmClasses(resolved.orm);
    this.bindings = [
      Binding.bind(ChatServiceBindings.RESOLVED_CONFIG).to(resolved),
      Binding.bind(ChatServiceBindings.DATASOURCE).toAlias(
        `datasources.${resolved.datasourceName}`,
      ),
      createBindingFromClass(orm.ChatDbProvider, {
        key: ChatServiceBindings.DATABASE,
        ...singleton,
      }),
      createBindingFromClass(orm.ConversationRepository, {
        key: ChatServiceBindings.CONVERSATION_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(orm.MemberRepository, {
        key: ChatServiceBindings.MEMBER_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(orm.MessageRepository, {
        key: ChatServiceBindings.MESSAGE_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(orm.EventRepository, {
        key: ChatServiceBindings.EVENT_REPOSITORY,
        ...singleton,
      }),
      ...realtimeBindings(resolved),
      createBindingFromClass(AccessService, {
        key: ChatServiceBindings.ACCESS_SERVICE,
      }),
      createBindingFromClass(MessageHooks, {
        key: ChatServiceBindings.MESSAGE_HOOKS,
      }),
      createBindingFromClass(MemberDetails, {
        key: ChatServiceBindings.MEMBER_DETAILS,
      }),
      createBindingFromClass(ConversationService, {
        key: ChatServiceBindings.CONVERSATION_SERVICE,
      }),
      createBindingFromClass(MemberService, {
        key: ChatServiceBindings.MEMBER_SERVICE,
      }),
      createBindingFromClass(MessageService, {
        key: ChatServiceBindings.MESSAGE_SERVICE,
      }),
      createBindingFromClass(ReadStateService, {
        key: ChatServiceBindings.READ_STATE_SERVICE,
      }),
      createBindingFromClass(orm.AttachmentRepository, {
        key: ChatServiceBindings.ATTACHMENT_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(orm.AttachmentDownloadRepository, {
        key: ChatServiceBindings.ATTACHMENT_DOWNLOAD_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(LocalDiskStorageProvider, {
        key: ChatServiceBindings.ATTACHMENT_STORAGE,
        ...singleton,
      }),
      createBindingFromClass(AttachmentService, {
        key: ChatServiceBindings.ATTACHMENT_SERVICE,
      }),
      createBindingFromClass(ConversationAccessInterceptor, {
        key: ChatServiceBindings.ACCESS_INTERCEPTOR,
      }),
      createBindingFromClass(JwtTokenVerifierProvider, {
        key: ChatServiceBindings.TOKEN_VERIFIER,
        ...singleton,
      }),
      createBindingFromClass(BearerTokenStrategy, {
        key: ChatServiceBindings.AUTH_STRATEGY,
      }),
      createBindingFromClass(ChatAuthenticationStrategy),
      createBindingFromClass(ChatStreamAuthenticationStrategy),
      createBindingFromClass(ChatErrorMiddlewareProvider),
      createBindingFromClass(ChatSpecEnhancer),
    ];
  }
}
