/** The database family a migration run targets. */
export type MigrationDialect = 'postgres' | 'mysql';

/**
 * A migration configuration that contradicts itself (a MySQL flag with a
 * PostgreSQL URL, a URL and `DB_*` variables naming different databases):
 * thrown before anything connects. The message names the settings.
 */
export class MigrationConfigError extends Error {
  readonly code = 'MIGRATION_CONFIG_CONFLICT';

  constructor(message: string) {
    super(message);
    this.name = 'MigrationConfigError';
  }
}

/** The database URL of a run and where it came from, for messages. */
export interface UrlSource {
  url: string;
  /** `--database-url` (an explicit URL) or `DATABASE_URL`. */
  name: string;
}

const DIALECT_NAMES = {postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB'};

/** True for env values such as `1`, `true`, `yes`; false for unset or `0`/`false`. */
export function isEnabled(value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  return !/^(0|false|no|off)$/i.test(value.trim());
}

/** An env value, with empty strings treated as unset. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The database kind a URL names by its scheme: `postgres:`/`postgresql:`,
 * or `mysql:`/`mariadb:` (and variants such as `mysql2:`). Any other scheme
 * is a {@link MigrationConfigError}.
 */
export function dialectOfUrl(source: UrlSource): MigrationDialect {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source.url)?.[1].toLowerCase();
  if (scheme && /^postgres(ql)?$/.test(scheme)) return 'postgres';
  if (scheme && /^(mysql|mariadb)\w*$/.test(scheme)) return 'mysql';
  throw new MigrationConfigError(
    `${source.name} must be a postgres://, postgresql://, mysql:// or ` +
      `mariadb:// URL; it starts with ${scheme ? `"${scheme}:"` : 'no scheme'}.`,
  );
}

interface DialectClaim {
  dialect: MigrationDialect;
  /** The setting that makes the claim, as the user wrote it. */
  setting: string;
}

/**
 * The database kind of a run. Three settings may name it: the `mysql`
 * option (`--mysql`; it wins over `MYSQL_MIGRATION`), `MYSQL_MIGRATION`,
 * and the URL's scheme. Any two that disagree are a
 * {@link MigrationConfigError}; none means PostgreSQL.
 */
export function resolveDialect(
  mysqlOption: boolean | undefined,
  url: UrlSource | undefined,
  env: NodeJS.ProcessEnv,
): MigrationDialect {
  const claims: DialectClaim[] = [];
  if (mysqlOption !== undefined) {
    claims.push({
      dialect: mysqlOption ? 'mysql' : 'postgres',
      setting: mysqlOption ? '--mysql' : 'the option mysql: false',
    });
  } else if (nonEmpty(env.MYSQL_MIGRATION) !== undefined) {
    claims.push({
      dialect: isEnabled(env.MYSQL_MIGRATION) ? 'mysql' : 'postgres',
      setting: `MYSQL_MIGRATION=${env.MYSQL_MIGRATION}`,
    });
  }
  if (url) {
    const dialect = dialectOfUrl(url);
    const scheme = url.url.slice(0, url.url.indexOf(':'));
    claims.push({dialect, setting: `${url.name} (a ${scheme}:// URL)`});
  }
  const [first, ...rest] = claims;
  const other = rest.find(c => c.dialect !== first.dialect);
  if (other) {
    throw new MigrationConfigError(
      `${first.setting} selects ${DIALECT_NAMES[first.dialect]} but ` +
        `${other.setting} names a ${DIALECT_NAMES[other.dialect]} database: ` +
        `make them agree or unset one.`,
    );
  }
  return first?.dialect ?? 'postgres';
}

/** Host, port, user, password and database of a connection. */
export interface ConnectionParts {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

/** `DB_PORT` as a number; a {@link MigrationConfigError} when it is not one. */
export function portFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = nonEmpty(env.DB_PORT);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65535) {
    throw new MigrationConfigError(
      `DB_PORT must be a port number, got "${env.DB_PORT}".`,
    );
  }
  return port;
}

/**
 * Throws a {@link MigrationConfigError} when `DATABASE_URL` and the `DB_*`
 * variables (`DB_HOST`, `DB_PORT`, `DB_USER`, `DB_PASSWORD`,
 * `DB_DATABASE`) are both set and name different connections. Variables
 * that agree with the URL, or that the URL leaves open, are fine.
 */
export function checkUrlAgainstEnv(
  source: UrlSource,
  fromUrl: ConnectionParts,
  defaultPort: number,
  env: NodeJS.ProcessEnv,
): void {
  const pairs: [string, string, unknown, unknown][] = [
    // host names are case-insensitive (the URL parser lowercases them)
    ['DB_HOST', 'host', fromUrl.host, nonEmpty(env.DB_HOST)?.toLowerCase()],
    ['DB_PORT', 'port', fromUrl.port ?? defaultPort, portFromEnv(env)],
    ['DB_USER', 'user', fromUrl.user, nonEmpty(env.DB_USER)],
    ['DB_PASSWORD', 'password', fromUrl.password, nonEmpty(env.DB_PASSWORD)],
    ['DB_DATABASE', 'database', fromUrl.database, nonEmpty(env.DB_DATABASE)],
  ];
  const conflicts = pairs.filter(
    ([, , inUrl, inEnv]) =>
      inUrl !== undefined && inEnv !== undefined && inUrl !== inEnv,
  );
  if (!conflicts.length) return;
  const details = conflicts.map(([name, part, inUrl, inEnv]) =>
    part === 'password'
      ? 'the passwords differ'
      : `${part} "${inUrl}" in the URL, "${inEnv}" in ${name}`,
  );
  throw new MigrationConfigError(
    `${source.name} and ${conflicts.map(c => c[0]).join(', ')} name ` +
      `different connections (${details.join('; ')}): unset one or make ` +
      `them agree.`,
  );
}

/**
 * Throws a {@link MigrationConfigError} for `DB_SCHEMA` on MySQL, where a
 * schema is the database: allowed only when it names that database.
 */
export function checkSchemaForDialect(
  dialect: MigrationDialect,
  schema: string | undefined,
  database: string | undefined,
): void {
  if (dialect !== 'mysql' || schema === undefined || schema === database) {
    return;
  }
  throw new MigrationConfigError(
    `DB_SCHEMA="${schema}" is for PostgreSQL; on MySQL/MariaDB the schema ` +
      `is the database (${database ? `"${database}"` : 'none named'}): ` +
      `unset DB_SCHEMA or name the database in DB_DATABASE or the URL.`,
  );
}
