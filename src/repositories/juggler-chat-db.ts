import {inject, Provider} from '@loopback/core';
import {IsolationLevel, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {ResolvedChatServiceConfig} from '../types';
import {ChatDb, Row, runInTransaction, SqlDialect, SqlRunner} from './chat-db';
import {toMysqlStatement} from './mysql-statement';
import {PgPoolChatDb, PgPoolChatDbOptions} from './pg-pool-chat-db';
import {PgPool} from './pg-types';

type ExecuteOptions = {transaction?: unknown};

/**
 * `ChatDb` over a juggler datasource: loopback-connector-postgresql, whose
 * own `pg` pool runs the statements, prepared unless `options` say not (see
 * `PgPoolChatDb`), or
 * loopback-connector-mysql (MySQL / MariaDB), whose statements are rewritten
 * to `?` placeholders.
 */
export class JugglerChatDb implements ChatDb {
  readonly dialect: SqlDialect;
  private onPool?: PgPoolChatDb;

  constructor(
    private readonly dataSource: juggler.DataSource,
    private readonly options: PgPoolChatDbOptions = {},
  ) {
    this.dialect =
      dataSource.connector?.name === 'mysql' ? 'mysql' : 'postgres';
  }

  query<T extends object = Row>(sql: string, params: unknown[] = []) {
    const direct = this.direct();
    if (direct) return direct.query<T>(sql, params);
    return this.run<T>(sql, params, {});
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const direct = this.direct();
    if (direct) return direct.transaction(work);
    const tx = await this.dataSource.beginTransaction({
      isolationLevel: IsolationLevel.READ_COMMITTED,
    });
    const runner: SqlRunner = {
      dialect: this.dialect,
      query: <R extends object = Row>(sql: string, params: unknown[] = []) =>
        this.run<R>(sql, params, {transaction: tx}),
    };
    return runInTransaction(tx, runner, work);
  }

  /** SQL on the PostgreSQL connector's pool (none once it disconnected). */
  private direct(): PgPoolChatDb | undefined {
    if (this.dialect !== 'postgres') return undefined;
    const pool = (this.dataSource.connector as {pg?: PgPool | null}).pg;
    if (!pool) return undefined;
    if (this.onPool?.pool !== pool) {
      this.onPool = new PgPoolChatDb(pool, this.options);
    }
    return this.onPool;
  }

  private async run<T>(
    sql: string,
    params: unknown[],
    options: ExecuteOptions,
  ): Promise<T[]> {
    const statement =
      this.dialect === 'mysql' ? toMysqlStatement(sql, params) : {sql, params};
    const result = await this.dataSource.execute(
      statement.sql,
      statement.params,
      options,
    );
    if (Array.isArray(result)) return result as T[];
    // UPDATE and DELETE answer {affectedRows, rows?} (MySQL: a result header)
    return ((result as {rows?: T[]})?.rows ?? []) as T[];
  }
}

/** Provides the `ChatDb` of the juggler repositories' datasource. */
export class JugglerChatDbProvider implements Provider<ChatDb> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE)
    private readonly dataSource: juggler.DataSource,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private readonly config: ResolvedChatServiceConfig,
  ) {}

  value(): ChatDb {
    return new JugglerChatDb(this.dataSource, this.config.database);
  }
}
