import {DemoSettings} from './application';

/**
 * The demo's event bus from its environment: `CHAT_EVENT_BUS` (`memory`,
 * the default, `postgres` or `redis`) and, for `redis`, `REDIS_URL`.
 * Throws a message naming the variable when one is missing or wrong.
 */
export function eventBusFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<DemoSettings, 'eventBus' | 'redisUrl'> {
  const value = env.CHAT_EVENT_BUS;
  if (!value) return {};
  if (value === 'memory' || value === 'postgres') return {eventBus: value};
  if (value !== 'redis') {
    throw new Error(
      `CHAT_EVENT_BUS must be memory, postgres or redis, got "${value}".`,
    );
  }
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    throw new Error(
      'CHAT_EVENT_BUS=redis needs REDIS_URL, the Redis to connect to ' +
        '(such as redis://127.0.0.1:6379).',
    );
  }
  return {eventBus: 'redis', redisUrl};
}
