// The database as every layer may name it; the implementations are in
// repositories/ (juggler, Sequelize, a pg pool).

/** A row as the driver returns it: snake_case columns. */
export type Row = Record<string, unknown>;

export type SqlDialect = 'postgres' | 'mysql';

/**
 * Runs one SQL statement. Statements are written with `$1`-style
 * placeholders; a MySQL runner rewrites them.
 */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  query<T extends object = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The database as the services see it, whatever the ORM: statements outside a
 * transaction, and a unit of work that commits when `work` resolves and rolls
 * back when it throws. Transactions run at READ COMMITTED.
 */
export interface ChatDb extends SqlRunner {
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
