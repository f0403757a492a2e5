import fs from 'fs';
import path from 'path';
import {
  checkSchemaForDialect,
  checkUrlAgainstEnv,
  ConnectionParts,
  MigrationConfigError,
  MigrationDialect,
  nonEmpty,
  portFromEnv,
  resolveDialect,
  UrlSource,
} from './config-checks';

export {isEnabled, MigrationConfigError} from './config-checks';
export type {MigrationDialect} from './config-checks';

/** Where the migrations go: an explicit URL, else the environment. */
export interface MigrationTarget {
  /** `postgres://…` or `mysql://…`; defaults to env `DATABASE_URL`. */
  databaseUrl?: string;
  /** Use `migrations-mysql/` and the mysql driver (env `MYSQL_MIGRATION`). */
  mysql?: boolean;
  /** PostgreSQL schema to migrate (env `DB_SCHEMA`); it must exist. */
  schema?: string;
}

/** Settings handed to the db-migrate driver (`db-migrate-pg` / `-mysql`). */
export type DriverSettings = Record<string, string | number | boolean>;

/** The resolved target of a run. */
export interface ResolvedTarget {
  dialect: MigrationDialect;
  settings: DriverSettings;
  /** `host:port/database`, without credentials, for log lines. */
  description: string;
}

/**
 * Picks the database and driver settings for a run: `target.databaseUrl`,
 * else `DATABASE_URL`, else `DB_HOST`, `DB_PORT`, `DB_USER`, `DB_PASSWORD`,
 * `DB_DATABASE` (and `DB_SCHEMA` for PostgreSQL). Settings that contradict
 * each other are a {@link MigrationConfigError}, thrown before anything
 * connects: see `config-checks.ts`.
 */
export function resolveTarget(
  target: MigrationTarget,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTarget {
  const url = urlSource(target, env);
  const dialect = resolveDialect(target.mysql, url, env);
  const defaultPort = dialect === 'mysql' ? 3306 : 5432;
  const schema = target.schema ?? nonEmpty(env.DB_SCHEMA);
  const parts = url ? partsFromUrl(url) : partsFromEnv(env);
  // an explicit URL overrides the environment; DATABASE_URL and DB_* are
  // both the environment, so they must agree
  if (url && target.databaseUrl === undefined) {
    checkUrlAgainstEnv(url, parts, defaultPort, env);
  }
  checkSchemaForDialect(dialect, schema, parts.database);
  const description = `${parts.host ?? 'localhost'}:${
    parts.port ?? defaultPort
  }/${parts.database ?? ''}`;
  if (dialect === 'mysql') {
    const settings = compact({
      driver: 'mysql',
      host: parts.host ?? 'localhost',
      port: parts.port ?? 3306,
      user: parts.user ?? 'root',
      password: parts.password ?? '',
      database: parts.database,
      // the migrations are SQL files with several statements each
      multipleStatements: true,
    });
    return {dialect, settings, description};
  }
  // node-postgres parses a URL best itself (sslmode and friends)
  const connection = url ? {connectionString: url.url} : parts;
  const settings = compact({driver: 'pg', ...connection, schema});
  return {dialect, settings, description};
}

/** The URL of a run: the explicit one, else `DATABASE_URL`, else none. */
export function urlSource(
  target: MigrationTarget,
  env: NodeJS.ProcessEnv = process.env,
): UrlSource | undefined {
  if (target.databaseUrl !== undefined) {
    return {url: target.databaseUrl, name: '--database-url'};
  }
  const url = nonEmpty(env.DATABASE_URL);
  return url === undefined ? undefined : {url, name: 'DATABASE_URL'};
}

function partsFromUrl(source: UrlSource): ConnectionParts {
  let parsed: URL;
  try {
    parsed = new URL(source.url);
  } catch {
    throw new MigrationConfigError(`${source.name} is not a valid URL.`);
  }
  const decode = (s: string) => (s ? decodeURIComponent(s) : undefined);
  return {
    // an IPv6 address without its URL brackets, as drivers and DB_HOST give it
    host: decode(parsed.hostname.replace(/^\[(.*)\]$/, '$1')),
    port: parsed.port ? Number(parsed.port) : undefined,
    user: decode(parsed.username),
    password: decode(parsed.password),
    database: decode(parsed.pathname.replace(/^\//, '')),
  };
}

function partsFromEnv(env: NodeJS.ProcessEnv): ConnectionParts {
  return {
    host: nonEmpty(env.DB_HOST),
    port: portFromEnv(env),
    user: nonEmpty(env.DB_USER),
    password: env.DB_PASSWORD,
    database: nonEmpty(env.DB_DATABASE),
  };
}

function compact(
  settings: Record<string, string | number | boolean | undefined>,
): DriverSettings {
  const out: DriverSettings = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * The root of this package (the folder holding `package.json` and
 * `migrations/`), found upwards from `start` (default: this file's folder,
 * `dist/migrate/` once compiled).
 */
export function packageRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'package.json')) &&
      fs.existsSync(path.join(dir, 'migrations'))
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`Cannot find the package root above ${start}.`);
    }
    dir = parent;
  }
}

/** Absolute path of the package's migration folder for a dialect. */
export function migrationsDir(dialect: MigrationDialect): string {
  const folder = dialect === 'mysql' ? 'migrations-mysql' : 'migrations';
  return path.join(packageRoot(), folder);
}
