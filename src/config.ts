// The configuration's defaults and the one place they are merged under a
// host's configuration (the shapes are in types.ts).
import path from 'node:path';
import type {ChatServiceConfig, ResolvedChatServiceConfig} from './types';

/**
 * The default allow-list of upload content types: media, plain text and CSV,
 * PDF, ZIP, JSON and common office documents. `application/octet-stream`
 * (unknown binaries) is not in it; add it, or `*\/*`, to accept any file.
 */
export const DEFAULT_ALLOWED_CONTENT_TYPES: readonly string[] = [
  'image/*',
  'audio/*',
  'video/*',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/pdf',
  'application/zip',
  'application/json',
  'application/rtf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
];

/** Every configuration field's default. */
export const DEFAULT_CHAT_SERVICE_CONFIG: ResolvedChatServiceConfig = {
  orm: 'juggler',
  datasourceName: 'chatDb',
  authentication: {jwt: {}},
  database: {preparedStatements: true, retryAfterSeconds: 5},
  limits: {
    defaultPageSize: 50,
    maxPageSize: 200,
    maxMessageLength: 10000,
    maxMembersPerRequest: 1000,
    maxUnreadConversations: 500,
    maxJsonDepth: 64,
  },
  realtime: {
    eventBus: 'memory',
    eventRetentionDays: 7,
    pruneIntervalSeconds: 3600,
    heartbeatSeconds: 15,
    catchUpSeconds: 5,
    maxQueuedEvents: 1000,
    maxBufferedBytes: 1024 * 1024,
    maxStreamsPerUser: 20,
    typingIntervalMs: 2000,
    redisKeyPrefix: 'chat-service:',
  },
  attachments: {
    directory: path.resolve('.chat-attachments'),
    maxBytes: 25 * 1024 * 1024,
    allowedContentTypes: [...DEFAULT_ALLOWED_CONTENT_TYPES],
  },
};

/** Applies the defaults under a host's configuration; undefined fields keep the default. */
export function resolveChatServiceConfig(
  config: ChatServiceConfig = {},
): ResolvedChatServiceConfig {
  const defaults = DEFAULT_CHAT_SERVICE_CONFIG;
  const orm = config.orm ?? (config.useSequelize ? 'sequelize' : defaults.orm);
  return {
    orm,
    datasourceName: config.datasourceName ?? defaults.datasourceName,
    authentication: {
      jwt: withDefaults(
        defaults.authentication.jwt,
        config.authentication?.jwt,
      ),
    },
    database: withDefaults(defaults.database, config.database),
    limits: withDefaults(defaults.limits, config.limits),
    realtime: withDefaults(defaults.realtime, config.realtime),
    attachments: withDefaults(defaults.attachments, {
      ...config.attachments,
      allowedContentTypes: [
        ...(config.attachments?.allowedContentTypes ??
          defaults.attachments.allowedContentTypes),
      ],
    }),
  };
}

function withDefaults<T extends object>(defaults: T, given?: Partial<T>): T {
  const result = {...defaults};
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value !== undefined) result[key as keyof T] = value as T[keyof T];
  }
  return result;
}
