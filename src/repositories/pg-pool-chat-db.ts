import type {Pool} from 'pg';
import {
  ChatDb,
  DriverTransaction,
  Row,
  runInTransaction,
  SqlRunner,
} from './chat-db';

/**
 * `ChatDb` straight on a `pg` pool. The juggler PostgreSQL datasource runs
 * the component's SQL this way, on its connector's own pool (so the
 * datasource's settings and pool size apply), without the connector's
 * per-statement bookkeeping.
 */
export class PgPoolChatDb implements ChatDb {
  readonly dialect = 'postgres' as const;

  constructor(readonly pool: Pool) {}

  async query<T extends object = Row>(sql: string, params: unknown[] = []) {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // a connection that fails between statements is dropped, not reused
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    const runner: SqlRunner = {
      dialect: 'postgres',
      query: async <R extends object = Row>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params)).rows as R[],
    };
    const tx: DriverTransaction = {
      commit: () => client.query('COMMIT'),
      rollback: () => client.query('ROLLBACK'),
    };
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      return await runInTransaction(tx, runner, work);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
