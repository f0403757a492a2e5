import {inject, Provider} from '@loopback/core';
import {IsolationLevel, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {ChatDb, Row, runInTransaction, SqlDialect, SqlRunner} from './chat-db';
import {toMysqlStatement} from './mysql-statement';

type ExecuteOptions = {transaction?: unknown};

/**
 * `ChatDb` over a juggler datasource: loopback-connector-postgresql, or
 * loopback-connector-mysql (MySQL / MariaDB), whose statements are rewritten
 * to `?` placeholders.
 */
export class JugglerChatDb implements ChatDb {
  readonly dialect: SqlDialect;

  constructor(private readonly dataSource: juggler.DataSource) {
    this.dialect =
      dataSource.connector?.name === 'mysql' ? 'mysql' : 'postgres';
  }

  query<T extends object = Row>(sql: string, params: unknown[] = []) {
    return this.run<T>(sql, params, {});
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
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
  ) {}

  value(): ChatDb {
    return new JugglerChatDb(this.dataSource);
  }
}
