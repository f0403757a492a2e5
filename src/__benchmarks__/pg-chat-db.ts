import {Pool} from 'pg';
import {DemoApplication} from '../demo/application';
import {closeChatDataSource} from '../demo/datasource';
import {ChatServiceBindings} from '../keys';
import {ChatDb, Row, SqlRunner} from '../repositories';

/** `ChatDb` straight on a `pg` pool: no LoopBack, no juggler. */
export class PgChatDb implements ChatDb {
  readonly dialect = 'postgres' as const;

  constructor(private pool: Pool) {}

  async query<T extends object = Row>(sql: string, params: unknown[] = []) {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlRunner = {
      dialect: 'postgres',
      query: async <R extends object = Row>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params)).rows as R[],
    };
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await work(tx);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw err;
    }
  }
}

/**
 * The component's services as LoopBack resolves them for the demo host
 * (the application is never started), with the database binding pointing
 * at `db`: whatever the services' SQL becomes, this runs the same.
 */
export async function componentServices(databaseUrl: string, db: ChatDb) {
  const app = new DemoApplication({
    databaseUrl,
    jwtSecret: 'unused',
    lazyConnect: true,
  });
  app.bind(ChatServiceBindings.DATABASE).to(db);
  return {
    access: await app.get(ChatServiceBindings.ACCESS_SERVICE),
    messages: await app.get(ChatServiceBindings.MESSAGE_SERVICE),
    conversations: await app.get(ChatServiceBindings.CONVERSATION_SERVICE),
    readState: await app.get(ChatServiceBindings.READ_STATE_SERVICE),
    close: () => closeChatDataSource(app.chatDataSource),
  };
}
