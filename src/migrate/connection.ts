import fs from 'fs';
import path from 'path';

/** The database family a migration run targets. */
export type MigrationDialect = 'postgres' | 'mysql';

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

/** True for env values such as `1`, `true`, `yes`; false for unset or `0`/`false`. */
export function isEnabled(value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  return !/^(0|false|no|off)$/i.test(value.trim());
}

/**
 * Picks the database and driver settings for a run: `target.databaseUrl`,
 * else `DATABASE_URL`, else `DB_HOST`, `DB_PORT`, `DB_USER`, `DB_PASSWORD`,
 * `DB_DATABASE` (and `DB_SCHEMA` for PostgreSQL).
 */
export function resolveTarget(
  target: MigrationTarget,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTarget {
  const url = target.databaseUrl ?? nonEmpty(env.DATABASE_URL);
  const dialect = resolveDialect(target, url, env);
  const schema = target.schema ?? nonEmpty(env.DB_SCHEMA);
  const parts = url ? partsFromUrl(url) : partsFromEnv(env);
  const description = `${parts.host ?? 'localhost'}:${
    parts.port ?? (dialect === 'mysql' ? 3306 : 5432)
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
  const connection = url ? {connectionString: url} : parts;
  const settings = compact({driver: 'pg', ...connection, schema});
  return {dialect, settings, description};
}

function resolveDialect(
  target: MigrationTarget,
  url: string | undefined,
  env: NodeJS.ProcessEnv,
): MigrationDialect {
  if (target.mysql !== undefined) return target.mysql ? 'mysql' : 'postgres';
  if (isEnabled(env.MYSQL_MIGRATION)) return 'mysql';
  return url && /^(mysql|mariadb)\w*:/i.test(url) ? 'mysql' : 'postgres';
}

interface ConnectionParts {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

function partsFromUrl(url: string): ConnectionParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('The database URL is not a valid URL.');
  }
  const decode = (s: string) => (s ? decodeURIComponent(s) : undefined);
  return {
    host: decode(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : undefined,
    user: decode(parsed.username),
    password: decode(parsed.password),
    database: decode(parsed.pathname.replace(/^\//, '')),
  };
}

function partsFromEnv(env: NodeJS.ProcessEnv): ConnectionParts {
  const port = env.DB_PORT ? Number(env.DB_PORT) : undefined;
  if (port !== undefined && !Number.isInteger(port)) {
    throw new Error(`DB_PORT must be a port number, got "${env.DB_PORT}".`);
  }
  return {
    host: nonEmpty(env.DB_HOST),
    port,
    user: nonEmpty(env.DB_USER),
    password: env.DB_PASSWORD,
    database: nonEmpty(env.DB_DATABASE),
  };
}

/** An env value, with empty strings treated as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
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
