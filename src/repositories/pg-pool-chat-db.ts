import {createHash} from 'node:crypto';
import {
  ChatDb,
  DriverTransaction,
  Row,
  runInTransaction,
  SqlRunner,
} from './chat-db';
import {PgPool, PgPoolClient, PgStatement} from './pg-types';

/** Statements with more parameters (multi-row inserts) run unnamed. */
const MAX_PREPARED_PARAMS = 16;
/** At most this many statement texts are prepared (per connection). */
const MAX_PREPARED_TEXTS = 200;

export interface PgPoolChatDbOptions {
  /**
   * Runs statements as named prepared statements, each parsed and planned
   * once per connection (default true).
   */
  preparedStatements?: boolean;
}

/**
 * `ChatDb` straight on a `pg` pool. The juggler PostgreSQL datasource runs
 * the component's SQL this way, on its connector's own pool (so the
 * datasource's settings and pool size apply), without the connector's
 * per-statement bookkeeping. Statements are prepared once per connection
 * (named after a hash of their text) unless `preparedStatements` is false:
 * the first 200 texts with 1 to 16 parameters, so the number held per
 * connection stays bounded.
 */
export class PgPoolChatDb implements ChatDb {
  readonly dialect = 'postgres' as const;
  private readonly names = new Map<string, string>();
  private readonly prepare: boolean;

  constructor(
    readonly pool: PgPool,
    options: PgPoolChatDbOptions = {},
  ) {
    this.prepare = options.preparedStatements ?? true;
    // an idle pooled connection that the server resets (a restart) makes
    // the pool emit 'error', which ends the process when nobody listens;
    // the pool drops that connection by itself, and a request that meets
    // the outage answers 503, so a host that did not listen loses nothing
    if (pool.listenerCount('error') === 0) pool.on('error', () => undefined);
  }

  async query<T extends object = Row>(sql: string, params: unknown[] = []) {
    return (await this.pool.query(this.statement(sql, params))).rows as T[];
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    // a connection that fails between statements is dropped, not reused
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    const client = await this.checkOut(onError);
    const runner: SqlRunner = {
      dialect: 'postgres',
      query: async <R extends object = Row>(
        sql: string,
        params?: unknown[],
      ) => {
        try {
          return (await client.query(this.statement(sql, params ?? [])))
            .rows as R[];
        } catch (err) {
          if (isStalePrepared(err)) broken ??= err as Error;
          throw err;
        }
      },
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

  /**
   * A connection of the pool with `onError` listening from the moment it is
   * handed out. The pool stops listening for errors of a connection it
   * hands out; a promise resolved by the pool (bluebird's, in
   * loopback-connector-postgresql) may run its callbacks a turn of the event
   * loop later, and an error arriving meanwhile (the server shutting down)
   * would find no listener and end the process.
   */
  private checkOut(onError: (err: Error) => void): Promise<PgPoolClient> {
    return new Promise((resolve, reject) => {
      this.pool.connect((err, client) => {
        if (err) return reject(err);
        client!.on('error', onError);
        resolve(client!);
      });
    });
  }

  /** The statement as `pg` runs it: named while it may be prepared. */
  private statement(text: string, values: unknown[]): PgStatement {
    return {text, values, name: this.nameOf(text, values.length)};
  }

  private nameOf(text: string, paramCount: number): string | undefined {
    // without parameters a text may hold several commands, which a prepared
    // statement cannot
    if (!this.prepare || paramCount === 0) return undefined;
    if (paramCount > MAX_PREPARED_PARAMS) return undefined;
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_PREPARED_TEXTS) {
      name = `chat_${createHash('sha1').update(text).digest('base64url')}`;
      this.names.set(text, name);
    }
    return name;
  }
}

/**
 * A statement prepared on this connection that no longer fits the schema
 * (a column it reads changed type, say: "cached plan must not change result
 * type") or that is gone (`DISCARD ALL`). `pg` would keep running the stale
 * one, so the connection is dropped: the next one prepares afresh. Outside
 * transactions the pool drops a connection after any failed statement.
 */
function isStalePrepared(err: unknown): boolean {
  const code = (err as {code?: string})?.code;
  return code === '0A000' || code === '26000';
}
