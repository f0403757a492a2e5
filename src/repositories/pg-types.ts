// The part of `pg` (node-postgres) the component's own code touches,
// declared here so the published declarations do not import `pg`'s types:
// a host compiles without @types/pg. pg's `Pool` and `PoolClient` fit these.

/** A statement as `pg` runs it (pg's `QueryConfig`). */
export interface PgStatement {
  text: string;
  values?: unknown[];
  /** Prepared once per connection under this name. */
  name?: string;
}

/** What `pg` answers a statement with (the part read here). */
export interface PgQueryResult {
  rows: unknown[];
}

/** A connection checked out of a `pg` pool (pg's `PoolClient`). */
export interface PgPoolClient {
  query(statement: PgStatement | string): Promise<PgQueryResult>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off(event: 'error', listener: (err: Error) => void): unknown;
  release(err?: Error | boolean): void;
}

/** A `pg` pool (pg's `Pool`), such as loopback-connector-postgresql's. */
export interface PgPool {
  query(statement: PgStatement): Promise<PgQueryResult>;
  connect(
    callback: (
      err: Error | undefined,
      client: PgPoolClient | undefined,
    ) => void,
  ): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  listenerCount(event: 'error'): number;
}
