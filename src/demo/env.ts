// The demo's environment variables, each parsed and checked: a wrong value
// stops the start with a message naming the variable.
import path from 'path';
import {packageRoot} from '../migrate/connection';
import {ChatOrm, ChatS3StorageConfig} from '../types';
import {DemoSettings} from './application';

/** The S3 region when `AWS_REGION` is not set. */
const DEMO_S3_REGION = 'us-east-1';

/** Default of `CHAT_SHUTDOWN_TIMEOUT_MS`. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10000;

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

export function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${value}".`);
  }
  return port;
}

export function parseOrm(value: string | undefined): ChatOrm | undefined {
  if (!value) return undefined;
  if (value === 'juggler' || value === 'sequelize') return value;
  throw new Error(`CHAT_ORM must be juggler or sequelize, got "${value}".`);
}

export function parseMaxBytes(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new Error(
      `CHAT_ATTACHMENT_MAX_BYTES must be a positive integer, got "${value}".`,
    );
  }
  return bytes;
}

/** `CHAT_ATTACHMENT_DIR`, absolute; default `.data/attachments` of the package. */
export function parseAttachmentDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(
    setting(env.CHAT_ATTACHMENT_DIR) ??
      path.join(packageRoot(), '.data', 'attachments'),
  );
}

/** An environment variable's value; an empty one counts as unset. */
function setting(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * The S3 bucket of `CHAT_S3_BUCKET` (with `CHAT_S3_ENDPOINT`, which turns
 * on path-style URLs, and `CHAT_S3_PREFIX`; the region of `AWS_REGION`,
 * default us-east-1), or none: local files.
 */
export function parseS3Settings(
  env: NodeJS.ProcessEnv,
): ChatS3StorageConfig | undefined {
  const bucket = env.CHAT_S3_BUCKET;
  if (!bucket) return undefined;
  const endpoint = setting(env.CHAT_S3_ENDPOINT);
  return {
    bucket,
    region: setting(env.AWS_REGION) ?? DEMO_S3_REGION,
    endpoint,
    prefix: setting(env.CHAT_S3_PREFIX),
    forcePathStyle: endpoint ? true : undefined,
  };
}

export function parseShutdownTimeout(value: string | undefined): number {
  if (!value) return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new Error(
      `CHAT_SHUTDOWN_TIMEOUT_MS must be a positive integer, got "${value}".`,
    );
  }
  return ms;
}
