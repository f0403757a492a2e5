import {inject, Provider} from '@loopback/core';
import {SequelizeDataSource} from '@loopback/sequelize';
import {QueryTypes, Transaction} from 'sequelize';
import {ChatServiceBindings} from '../../keys';
import {ChatDb, Row, runInTransaction, SqlDialect, SqlRunner} from '../chat-db';
import {toMysqlStatement} from '../mysql-statement';

/**
 * `ChatDb` over a @loopback/sequelize datasource: Sequelize's `postgres`
 * dialect (pg), or its `mysql` dialect (mysql2) for MySQL / MariaDB, whose
 * statements are rewritten to `?` placeholders.
 */
export class SequelizeChatDb implements ChatDb {
  readonly dialect: SqlDialect;

  constructor(private readonly dataSource: SequelizeDataSource) {
    const dialect = dataSource.sequelize.getDialect();
    if (dialect !== 'postgres' && dialect !== 'mysql') {
      throw new Error(
        `The chat service supports Sequelize's postgres and mysql dialects, not ${dialect}.`,
      );
    }
    this.dialect = dialect;
  }

  query<T extends object = Row>(sql: string, params: unknown[] = []) {
    return this.run<T>(sql, params);
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const tx = await this.dataSource.sequelize.transaction({
      isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED,
    });
    const runner: SqlRunner = {
      dialect: this.dialect,
      query: <R extends object = Row>(sql: string, params: unknown[] = []) =>
        this.run<R>(sql, params, tx),
    };
    return runInTransaction(tx, runner, work);
  }

  private async run<T>(
    sql: string,
    params: unknown[],
    transaction?: Transaction,
  ): Promise<T[]> {
    const {sequelize} = this.dataSource;
    const options = {type: QueryTypes.RAW, transaction};
    let rows: unknown;
    if (this.dialect === 'mysql') {
      // values are escaped into the text, as loopback-connector-mysql does
      // (mysql2 would otherwise prepare a statement per statement shape)
      const statement = toMysqlStatement(sql, params);
      [rows] = await sequelize.query(statement.sql, {
        ...options,
        replacements: statement.params,
      });
    } else {
      [rows] = await sequelize.query(sql, {...options, bind: params});
    }
    // a statement without a result set answers a result header (or an id)
    return (Array.isArray(rows) ? rows : []) as T[];
  }
}

/** Provides the `ChatDb` of the Sequelize repositories' datasource. */
export class SequelizeChatDbProvider implements Provider<ChatDb> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE)
    private readonly dataSource: SequelizeDataSource,
  ) {}

  value(): ChatDb {
    return new SequelizeChatDb(this.dataSource);
  }
}
