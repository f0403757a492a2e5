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
  ConversationAccessInterceptor,
  ConversationController,
  MemberController,
  MessageController,
  ReadStateController,
} from './controllers';
import {ChatServiceBindings} from './keys';
import {ChatEvent, Conversation, Member, Message} from './models';
import {
  BearerTokenStrategy,
  ChatAuthenticationStrategy,
  ChatErrorMiddlewareProvider,
  ChatSpecEnhancer,
  JwtTokenVerifierProvider,
} from './providers';
import {
  ConversationRepository,
  EventRepository,
  JugglerChatDbProvider,
  MemberRepository,
  MessageRepository,
} from './repositories';
import {
  AccessService,
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
  models = [Conversation, Member, Message, ChatEvent];
  controllers = [
    ConversationController,
    MemberController,
    MessageController,
    ReadStateController,
  ];
  bindings: Binding[];

  constructor(
    @inject(ChatServiceBindings.CONFIG, {optional: true})
    config: ChatServiceConfig = {},
  ) {
    const resolved = resolveChatServiceConfig(config);
    const singleton = {defaultScope: BindingScope.SINGLETON};
    this.bindings = [
      Binding.bind(ChatServiceBindings.RESOLVED_CONFIG).to(resolved),
      Binding.bind(ChatServiceBindings.DATASOURCE).toAlias(
        `datasources.${resolved.datasourceName}`,
      ),
      createBindingFromClass(JugglerChatDbProvider, {
        key: ChatServiceBindings.DATABASE,
        ...singleton,
      }),
      createBindingFromClass(ConversationRepository, {
        key: ChatServiceBindings.CONVERSATION_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(MemberRepository, {
        key: ChatServiceBindings.MEMBER_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(MessageRepository, {
        key: ChatServiceBindings.MESSAGE_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(EventRepository, {
        key: ChatServiceBindings.EVENT_REPOSITORY,
        ...singleton,
      }),
      createBindingFromClass(AccessService, {
        key: ChatServiceBindings.ACCESS_SERVICE,
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
      createBindingFromClass(ChatErrorMiddlewareProvider),
      createBindingFromClass(ChatSpecEnhancer),
    ];
  }
}
