import {BindingKey, CoreBindings, Interceptor} from '@loopback/core';
import {juggler} from '@loopback/repository';
import {AuthenticationStrategy} from '@loopback/authentication';
import type {ChatServiceComponent} from './component';
import type {ChatDb, ConversationAccess} from './repositories';
import type {
  ConversationRepository,
  EventRepository,
  MemberRepository,
  MessageRepository,
} from './repositories';
import type {
  ConversationService,
  MemberService,
  MessageService,
  ReadStateService,
  AccessService,
} from './services';
import {
  ChatServiceConfig,
  ResolvedChatServiceConfig,
  TokenVerifier,
} from './types';

/** Binding keys of the chat service component. */
export namespace ChatServiceBindings {
  /** The component instance. */
  export const COMPONENT = BindingKey.create<ChatServiceComponent>(
    `${CoreBindings.COMPONENTS}.ChatServiceComponent`,
  );
  /** The host's configuration; bind it before adding the component. */
  export const CONFIG = BindingKey.create<ChatServiceConfig>(
    'chat-service.config',
  );
  /** The configuration with defaults applied (bound by the component). */
  export const RESOLVED_CONFIG = BindingKey.create<ResolvedChatServiceConfig>(
    'chat-service.config.resolved',
  );
  /** Alias to the host datasource named by `config.datasourceName`. */
  export const DATASOURCE = BindingKey.create<juggler.DataSource>(
    'chat-service.datasource',
  );
  /** The database as the services use it, for the configured ORM. */
  export const DATABASE = BindingKey.create<ChatDb>('chat-service.database');
  /** The caller's membership, set per request by the access interceptor. */
  export const CONVERSATION_ACCESS = BindingKey.create<ConversationAccess>(
    'chat-service.request.conversation-access',
  );
  /** Interceptor that checks membership for conversation-scoped routes. */
  export const ACCESS_INTERCEPTOR = BindingKey.create<Interceptor>(
    'chat-service.interceptors.conversation-access',
  );
  /** Authentication strategy that turns a request into a user profile. */
  export const AUTH_STRATEGY = BindingKey.create<AuthenticationStrategy>(
    'chat-service.authentication.strategy',
  );
  /** Verifies a bearer token and returns its claims (default: jose JWT). */
  export const TOKEN_VERIFIER = BindingKey.create<TokenVerifier>(
    'chat-service.authentication.token-verifier',
  );

  export const CONVERSATION_REPOSITORY =
    BindingKey.create<ConversationRepository>(
      'chat-service.repositories.conversation',
    );
  export const MEMBER_REPOSITORY = BindingKey.create<MemberRepository>(
    'chat-service.repositories.member',
  );
  export const MESSAGE_REPOSITORY = BindingKey.create<MessageRepository>(
    'chat-service.repositories.message',
  );
  export const EVENT_REPOSITORY = BindingKey.create<EventRepository>(
    'chat-service.repositories.event',
  );

  /** Resolves a caller's membership and role in a conversation. */
  export const ACCESS_SERVICE = BindingKey.create<AccessService>(
    'chat-service.services.access',
  );
  export const CONVERSATION_SERVICE = BindingKey.create<ConversationService>(
    'chat-service.services.conversation',
  );
  export const MEMBER_SERVICE = BindingKey.create<MemberService>(
    'chat-service.services.member',
  );
  export const MESSAGE_SERVICE = BindingKey.create<MessageService>(
    'chat-service.services.message',
  );
  export const READ_STATE_SERVICE = BindingKey.create<ReadStateService>(
    'chat-service.services.read-state',
  );
}
