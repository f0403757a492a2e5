import {ChatConfigError} from '../errors';
import {ResolvedChatServiceConfig} from '../types';

/** Connection name (`CLIENT LIST`) of the bus's connections, before `-subscriber`/`-publisher`. */
export const REDIS_BUS_CONNECTION_NAME = 'chat-service-bus';

/** What the `redis` bus connects to and the channels it uses. */
export interface RedisBusSettings {
  /** `realtime.redisUrl`, as given. */
  url: string;
  /** The URL without user name and password, for log lines and errors. */
  safeUrl: string;
  /** Channel of the commit news (the last event id of a transaction). */
  eventsChannel: string;
  /** Channel of typing and presence events (JSON). */
  ephemeralChannel: string;
}

/**
 * The `redis` bus's settings from the resolved `realtime` configuration.
 * Throws a `ChatConfigError` (`CHAT_CONFIG_INVALID`) naming the field when
 * `redisUrl` is missing or not a `redis://` / `rediss://` URL, or when
 * `redisKeyPrefix` is not a string.
 */
export function redisBusSettings(
  realtime: ResolvedChatServiceConfig['realtime'],
): RedisBusSettings {
  const {redisUrl, redisKeyPrefix} = realtime;
  if (typeof redisUrl !== 'string' || redisUrl.trim() === '') {
    throw configError(
      'realtime.redisUrl',
      "realtime.eventBus 'redis' needs realtime.redisUrl, the Redis to " +
        'connect to (such as redis://127.0.0.1:6379).',
    );
  }
  const parsed = parseUrl(redisUrl);
  if (parsed?.protocol !== 'redis:' && parsed?.protocol !== 'rediss:') {
    throw configError(
      'realtime.redisUrl',
      'realtime.redisUrl must be a redis:// or rediss:// URL ' +
        '(such as redis://127.0.0.1:6379).',
    );
  }
  if (typeof redisKeyPrefix !== 'string') {
    throw configError(
      'realtime.redisKeyPrefix',
      'realtime.redisKeyPrefix must be a string.',
    );
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = ''; // ioredis also takes ?password=
  return {
    url: redisUrl,
    safeUrl: parsed.toString(),
    eventsChannel: `${redisKeyPrefix}events`,
    ephemeralChannel: `${redisKeyPrefix}ephemeral`,
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function configError(field: string, message: string): ChatConfigError {
  return new ChatConfigError(message, field);
}
