// The ioredis side of the redis bus: how its connections are made and ended.
import type {Redis, RedisOptions} from 'ioredis';
import {REDIS_BUS_CONNECTION_NAME} from './redis-bus-settings';

const CONNECT_TIMEOUT_MS = 10000;
const KEEP_ALIVE_MS = 10000;
/** Longest wait for Redis to answer `QUIT` on close. */
const QUIT_TIMEOUT_MS = 1000;

/** Ends `connection`: `QUIT` when it is up (within a bound), then closes it. */
export async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>(resolve => {
      timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
    });
    await Promise.race([connection.quit().catch(() => undefined), bound]);
    clearTimeout(timer);
  }
  connection.disconnect();
}

/**
 * The ioredis options of the bus's `role` connection: connected by the bus,
 * reconnected after `retryStrategy`'s delay; commands fail at once while it
 * is down (nothing piles up in memory) and it does not resubscribe by itself
 * (the bus does, then catches up).
 */
export function redisConnectionOptions(
  role: 'subscriber' | 'publisher',
  retryStrategy: (times: number) => number | null,
): RedisOptions {
  return {
    lazyConnect: true,
    connectionName: `${REDIS_BUS_CONNECTION_NAME}-${role}`,
    connectTimeout: CONNECT_TIMEOUT_MS,
    keepAlive: KEEP_ALIVE_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    retryStrategy,
  };
}
