/** Which repository implementation the component binds. */
export type ChatOrm = 'juggler' | 'sequelize';

/** Role of a member in a conversation. Direct conversations only have `member`. */
export type MemberRole = 'owner' | 'admin' | 'member';

export type ConversationType = 'direct' | 'group';

/**
 * Verification settings for the default JWT strategy. Unset fields fall back to
 * the environment: `JWT_SECRET`, `JWT_PUBLIC_KEY`, `JWT_ISSUER`.
 */
export interface ChatJwtConfig {
  /** Shared secret for HS256 tokens. */
  secret?: string;
  /** PEM public key (SPKI or certificate) for RS256 / ES256 tokens. */
  publicKey?: string;
  /** Expected `iss` claim; tokens from any other issuer are rejected. */
  issuer?: string;
  /** Expected `aud` claim, when set. */
  audience?: string;
  /** Accept tokens without an `exp` claim. Off by default. */
  allowMissingExpiration?: boolean;
  /** Clock skew tolerated when checking `exp` and `nbf`, in seconds. */
  clockToleranceSeconds?: number;
}

/** How the component talks to its database. */
export interface ChatDatabaseConfig {
  /**
   * juggler on PostgreSQL: run statements as named prepared statements,
   * parsed and planned once per connection. Turn off behind a pooler in
   * transaction mode that cannot keep them (PgBouncer before 1.21, or
   * without `max_prepared_statements`).
   */
  preparedStatements?: boolean;
  /**
   * While the database cannot be reached the component's routes answer 503
   * `SERVICE_UNAVAILABLE` with this `Retry-After`, in seconds.
   */
  retryAfterSeconds?: number;
}

/** Limits applied to request bodies and lists. */
export interface ChatLimitsConfig {
  /** Page size when a request gives no `limit`. */
  defaultPageSize?: number;
  /** Largest `limit` a request may ask for. */
  maxPageSize?: number;
  /** Longest message body, in characters. */
  maxMessageLength?: number;
  /** Most user ids one request may add to a conversation. */
  maxMembersPerRequest?: number;
  /**
   * Most conversations `GET /unread` lists (those with the newest activity);
   * `total` still counts all of them and `truncated` says some were left
   * out. Default 500.
   */
  maxUnreadConversations?: number;
  /**
   * Deepest nesting of arrays and objects in a JSON request body of the
   * component's routes; deeper ones are answered 400 `JSON_TOO_DEEP`
   * before they are parsed.
   */
  maxJsonDepth?: number;
}

/** Live delivery: the event bus, the log's retention, stream limits. */
export interface ChatRealtimeConfig {
  /**
   * `memory` (default) delivers within one process; `postgres` uses
   * LISTEN/NOTIFY (PostgreSQL only) and `redis` uses Redis publish/subscribe
   * (PostgreSQL or MySQL/MariaDB), so every instance behind a load balancer
   * delivers every event.
   */
  eventBus?: 'memory' | 'postgres' | 'redis';
  /**
   * Connection string for the `postgres` bus's LISTEN connection. Default:
   * the settings of the component's datasource.
   */
  postgresUrl?: string;
  /**
   * The Redis of the `redis` bus (`redis://[user:password@]host:port[/db]`,
   * or `rediss://` for TLS); required with that bus.
   */
  redisUrl?: string;
  /**
   * Start of the `redis` bus's channel names, so several applications may
   * share one Redis. Default `'chat-service:'`.
   */
  redisKeyPrefix?: string;
  /** How long the event log keeps events, in days (default 7). */
  eventRetentionDays?: number;
  /** How often the log is pruned, in seconds (default 3600). */
  pruneIntervalSeconds?: number;
  /** Comment lines sent on idle streams, every so many seconds (default 15). */
  heartbeatSeconds?: number;
  /**
   * How often each instance checks the event log for events it has not
   * routed, in seconds (default 5): the safety net for news the bus lost.
   * One read of the event clock when nothing is new.
   */
  catchUpSeconds?: number;
  /**
   * Live events a stream may hold while it replays missed ones before the
   * server closes it (the client resumes with `Last-Event-ID`). Default 1000.
   */
  maxQueuedEvents?: number;
  /**
   * Bytes a stream may have written but not yet taken by its client; past
   * this the server ends the stream (the client resumes with
   * `Last-Event-ID` and loses nothing). Default 1 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Event streams one user may have open on one instance; one more is
   * answered 429 `TOO_MANY_STREAMS` with `Retry-After`. Default 20.
   */
  maxStreamsPerUser?: number;
  /** Least time between two typing events of a user in a conversation, ms. */
  typingIntervalMs?: number;
}

/**
 * Attachment uploads. The storage itself is the provider bound at
 * `ChatServiceBindings.ATTACHMENT_STORAGE` (default: local disk in
 * `directory`).
 */
export interface ChatAttachmentsConfig {
  /**
   * Directory of the default local-disk storage, created when missing.
   * Default: `.chat-attachments` under the working directory at start-up.
   */
  directory?: string;
  /** Largest upload, in bytes; larger ones are answered 413. Default 25 MiB. */
  maxBytes?: number;
  /**
   * Content types an upload may have: exact (`application/pdf`), a whole
   * type (`image/*`) or anything (`*\/*`). Others are answered 415.
   * Default: `DEFAULT_ALLOWED_CONTENT_TYPES`.
   */
  allowedContentTypes?: string[];
}

/**
 * Configuration bound at `ChatServiceBindings.CONFIG`, the component's
 * configuration (`app.configure(ChatServiceBindings.COMPONENT)`). Every
 * field is optional; `DEFAULT_CHAT_SERVICE_CONFIG` supplies the rest.
 */
export interface ChatServiceConfig {
  /** Repository implementation: juggler (default) or Sequelize. */
  orm?: ChatOrm;
  /** Sourceloop's switch; `true` means `orm: 'sequelize'`. */
  useSequelize?: boolean;
  /** Name of the datasource the host binds (`datasources.<name>`). */
  datasourceName?: string;
  /**
   * Settings of the built-in JWT strategy. To use another strategy, bind it
   * at `ChatServiceBindings.AUTH_STRATEGY` (see README).
   */
  authentication?: {jwt?: ChatJwtConfig};
  database?: ChatDatabaseConfig;
  limits?: ChatLimitsConfig;
  realtime?: ChatRealtimeConfig;
  /** Upload limits and the directory of the default attachment storage. */
  attachments?: ChatAttachmentsConfig;
}

/** The configuration after defaults are applied. */
export interface ResolvedChatServiceConfig {
  orm: ChatOrm;
  datasourceName: string;
  authentication: {jwt: ChatJwtConfig};
  database: Required<ChatDatabaseConfig>;
  limits: Required<ChatLimitsConfig>;
  realtime: Required<Omit<ChatRealtimeConfig, 'postgresUrl' | 'redisUrl'>> &
    Pick<ChatRealtimeConfig, 'postgresUrl' | 'redisUrl'>;
  attachments: Required<ChatAttachmentsConfig>;
}

export * from './config';
export * from './extension-points';
