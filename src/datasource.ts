import {juggler} from '@loopback/repository';
import type {SequelizeDataSource} from '@loopback/sequelize';
import type {ChatDataSource} from './repositories';
import {requireOptional} from './require-optional';
import {ChatOrm} from './types';

/** What {@link createChatDataSource} makes a datasource of. */
export interface ChatDataSourceOptions {
  /** The datasource name (bound at `datasources.<name>`). */
  name: string;
  /** `postgres://…` or `mysql://…` (MySQL or MariaDB). */
  url: string;
  orm: ChatOrm;
  /** Most pooled connections (default: the driver's). */
  poolSize?: number;
  /** juggler only: connect on first use (Sequelize always does). */
  lazyConnect?: boolean;
  /** juggler and PostgreSQL only: errors of idle pooled connections. */
  onError?: (err: Error) => void;
}

/** True for `mysql://` and `mariadb://` URLs. */
export function isMysqlUrl(url: string): boolean {
  return /^(mysql|mariadb)\w*:/i.test(url);
}

/**
 * The datasource a host binds for the component (at
 * `datasources.<name>`): juggler (loopback-connector-postgresql / -mysql)
 * or @loopback/sequelize (loaded only here, only for `orm: 'sequelize'`).
 * MySQL connections use utf8mb4 and UTC for `DATETIME` values. The
 * packages the choice needs are the host's to install; a missing one is an
 * error naming it.
 *
 * ```ts
 * this.bind('datasources.chatDb').to(
 *   createChatDataSource({
 *     name: 'chatDb',
 *     url: process.env.DATABASE_URL!,
 *     orm: 'juggler',
 *   }),
 * );
 * ```
 */
export function createChatDataSource(
  options: ChatDataSourceOptions,
): ChatDataSource {
  const {name, url, poolSize} = options;
  const mysql = isMysqlUrl(url);
  const database = mysql ? 'MySQL' : 'PostgreSQL';
  if (options.orm === 'sequelize') {
    // loaded here, only for Sequelize hosts
    const neededFor = `A Sequelize ${database} datasource`;
    requireOptional(mysql ? 'mysql2' : 'pg', neededFor);
    const sequelize = requireOptional<typeof import('@loopback/sequelize')>(
      '@loopback/sequelize',
      neededFor,
    );
    const dataSource: SequelizeDataSource = new sequelize.SequelizeDataSource({
      name,
      connector: mysql ? 'mysql' : 'postgresql',
      url,
      // Sequelize's mysql dialect answers DATETIME in UTC ('+00:00') already
      ...(poolSize ? {[mysql ? 'connectionLimit' : 'max']: poolSize} : {}),
      // without the Oracle-only option mysql2 would warn about
      ...(mysql ? {sequelizeOptions: {dialectOptions: {}}} : {}),
    });
    dataSource.name = name;
    return dataSource;
  }
  requireOptional(
    mysql ? 'loopback-connector-mysql' : 'loopback-connector-postgresql',
    `A juggler ${database} datasource`,
  );
  if (!mysql) {
    return new juggler.DataSource({
      name,
      connector: 'postgresql',
      url,
      lazyConnect: options.lazyConnect ?? false,
      ...(options.onError ? {onError: options.onError} : {}),
      ...(poolSize ? {max: poolSize} : {}),
    });
  }
  // loopback-connector-mysql ignores most settings given with `url`, and
  // hands the others to mysql2, which warns about those it does not know
  const parsed = new URL(url);
  return new juggler.DataSource({
    name,
    ...(options.lazyConnect ? {lazyConnect: true} : {}),
    connector: 'mysql',
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    collation: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    ...(poolSize ? {connectionLimit: poolSize} : {}),
  });
}

/** Closes a datasource's connections, whichever ORM it serves. */
export async function closeChatDataSource(
  dataSource: ChatDataSource,
): Promise<void> {
  if (dataSource instanceof juggler.DataSource) {
    await dataSource.disconnect();
  } else {
    await dataSource.stop();
  }
}
