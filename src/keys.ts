import {BindingKey, CoreBindings, Interceptor} from '@loopback/core';
import {AuthenticationStrategy} from '@loopback/authentication';
import type {ChatServiceComponent} from './component';
import type {
  ChatHealthService,
  EventHub,
  EventLog,
  EventPruner,
  EventSequencer,
  PresenceService,
  RealtimeService,
  ChatShutdownService,
} from './realtime';
import type {
  Attachment,
  AttachmentDownload,
  ChatEvent,
  Conversation,
  Member,
  Message,
} from './models';
import type {
  ChatDataSource,
  ChatDb,
  ChatReadRepository,
  ConversationAccess,
} from './repositories';
import type {
  AttachmentService,
  SchemaCheck,
  ConversationService,
  MemberDetails,
  MessageHooks,
  MemberService,
  MessageService,
  ReadStateService,
  AccessService,
} from './services';
import {
  AttachmentStorage,
  ChatEventBus,
  ChatLogger,
  ChatServiceConfig,
  ResolvedChatServiceConfig,
  TokenVerifier,
  UserProfileResolver,
} from './types';

/** Binding keys of the chat service component. */
export namespace ChatServiceBindings {
  /** The component instance. */
  export const COMPONENT = BindingKey.create<ChatServiceComponent>(
    `${CoreBindings.COMPONENTS}.ChatServiceComponent`,
  );
  /**
   * The host's configuration: the component's configuration binding, the
   * one `app.configure(ChatServiceBindings.COMPONENT)` binds. Bind it
   * before or after adding the component; it is read when first needed (at
   * the latest when the application starts).
   */
  export const CONFIG = BindingKey.create<ChatServiceConfig>(
    BindingKey.buildKeyForConfig(COMPONENT).toString(),
  );
  /**
   * The configuration with defaults applied (bound by the component, read
   * from `CONFIG` on first resolution).
   */
  export const RESOLVED_CONFIG = BindingKey.create<ResolvedChatServiceConfig>(
    'chat-service.config.resolved',
  );
  /** Alias to the host datasource named by `config.datasourceName`. */
  export const DATASOURCE = BindingKey.create<ChatDataSource>(
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
  /** Carries committed-event news and ephemeral events between instances. */
  export const EVENT_BUS = BindingKey.create<ChatEventBus>(
    'chat-service.realtime.bus',
  );
  /** Runs writing transactions that append to the event log. */
  export const EVENT_LOG = BindingKey.create<EventLog>(
    'chat-service.realtime.event-log',
  );
  /** Gives committed, queued events their log positions in commit order. */
  /**
   * Fails the application's init (and so its start), before anything else
   * of the component reads the database, when the component's migrations
   * have not run.
   */
  export const SCHEMA_CHECK = BindingKey.create<SchemaCheck>(
    'chat-service.schema-check',
  );
  export const EVENT_SEQUENCER = BindingKey.create<EventSequencer>(
    'chat-service.realtime.sequencer',
  );
  /** Routes committed events to this process's open streams. */
  export const EVENT_HUB = BindingKey.create<EventHub>(
    'chat-service.realtime.hub',
  );
  /** Deletes events past the retention period. */
  export const EVENT_PRUNER = BindingKey.create<EventPruner>(
    'chat-service.realtime.pruner',
  );
  /** Online state and last-seen times. */
  export const PRESENCE_SERVICE = BindingKey.create<PresenceService>(
    'chat-service.realtime.presence',
  );
  /**
   * Readiness of this instance: `check()` reports the database and the
   * event bus, for a host's health or readiness endpoint.
   */
  export const HEALTH = BindingKey.create<ChatHealthService>(
    'chat-service.health',
  );
  /**
   * Graceful shutdown: `drain()` (called by the application's `stop()`)
   * reports the instance draining, refuses new event streams and ends the
   * open ones with a `retry:` hint. See README, "Graceful shutdown".
   */
  export const SHUTDOWN = BindingKey.create<ChatShutdownService>(
    'chat-service.shutdown',
  );
  /** Event streams, `/sync` and typing. */
  export const REALTIME_SERVICE = BindingKey.create<RealtimeService>(
    'chat-service.realtime.service',
  );
  /** Name of the extension point of message hooks (`asMessageHook`). */
  export const MESSAGE_HOOK_EXTENSION_POINT = 'chat-service.message-hooks';
  /** Runs the registered message hooks. */
  export const MESSAGE_HOOKS = BindingKey.create<MessageHooks>(
    'chat-service.services.message-hooks',
  );
  /**
   * Operator-facing log lines (bus lost and back, database unreachable,
   * missing stored files). Default: the console, prefixed `[chat-service]`.
   */
  export const LOGGER = BindingKey.create<ChatLogger>('chat-service.logger');
  /** Optional: display names and avatars for member user ids. */
  export const USER_PROFILE_RESOLVER = BindingKey.create<UserProfileResolver>(
    'chat-service.user-profile-resolver',
  );
  /** Adds presence and profiles to members in answers. */
  export const MEMBER_DETAILS = BindingKey.create<MemberDetails>(
    'chat-service.services.member-details',
  );
  /** Authentication strategy that turns a request into a user profile. */
  export const AUTH_STRATEGY = BindingKey.create<AuthenticationStrategy>(
    'chat-service.authentication.strategy',
  );
  /** Verifies a bearer token and returns its claims (default: jose JWT). */
  export const TOKEN_VERIFIER = BindingKey.create<TokenVerifier>(
    'chat-service.authentication.token-verifier',
  );

  // The repositories: `ConversationRepository` and the others, juggler or
  // Sequelize ones by `config.orm`; typed by what both variants offer. They
  // are read-only: writes go through the services, which keep `seq`, the
  // event log and read state.
  /** Reads conversations (`chat_conversations`). */
  export const CONVERSATION_REPOSITORY = BindingKey.create<
    ChatReadRepository<Conversation, string>
  >('chat-service.repositories.conversation');
  /** Reads members (`chat_members`). */
  export const MEMBER_REPOSITORY = BindingKey.create<
    ChatReadRepository<Member, string>
  >('chat-service.repositories.member');
  /** Reads messages (`chat_messages`). */
  export const MESSAGE_REPOSITORY = BindingKey.create<
    ChatReadRepository<Message, string>
  >('chat-service.repositories.message');
  /** Reads the event log (`chat_events`). */
  export const EVENT_REPOSITORY = BindingKey.create<
    ChatReadRepository<ChatEvent, number>
  >('chat-service.repositories.event');
  /** Reads attachment metadata (`chat_attachments`). */
  export const ATTACHMENT_REPOSITORY = BindingKey.create<
    ChatReadRepository<Attachment, string>
  >('chat-service.repositories.attachment');
  /** Reads the download audit (`chat_attachment_downloads`). */
  export const ATTACHMENT_DOWNLOAD_REPOSITORY = BindingKey.create<
    ChatReadRepository<AttachmentDownload, string>
  >('chat-service.repositories.attachment-download');

  /** Resolves a caller's membership and role in a conversation. */
  export const ACCESS_SERVICE = BindingKey.create<AccessService>(
    'chat-service.services.access',
  );
  /** Creates, lists, reads and updates conversations. */
  export const CONVERSATION_SERVICE = BindingKey.create<ConversationService>(
    'chat-service.services.conversation',
  );
  /** Lists members, adds them, changes roles, removes them. */
  export const MEMBER_SERVICE = BindingKey.create<MemberService>(
    'chat-service.services.member',
  );
  /** Sends, lists, reads, edits and removes messages. */
  export const MESSAGE_SERVICE = BindingKey.create<MessageService>(
    'chat-service.services.message',
  );
  /** Read positions, readers and unread counts. */
  export const READ_STATE_SERVICE = BindingKey.create<ReadStateService>(
    'chat-service.services.read-state',
  );
  /** Uploads, metadata, downloads and the download audit of attachments. */
  export const ATTACHMENT_SERVICE = BindingKey.create<AttachmentService>(
    'chat-service.services.attachment',
  );
  /**
   * Where attachment bytes are stored (default: local disk in
   * `config.attachments.directory`). Rebind it after adding the component
   * to use another store.
   */
  export const ATTACHMENT_STORAGE = BindingKey.create<AttachmentStorage>(
    'chat-service.attachments.storage',
  );
}
