import type {SqlRunner} from '../domain';

// the database's interfaces live in the domain (extension points name them)
export type {ChatDb, Row, SqlDialect, SqlRunner} from '../domain';

/**
 * The condition "`column` is one of `values`", the values becoming
 * parameters from `$first` on: on PostgreSQL one array parameter
 * (`= ANY($first)`), so the statement's text is the same for any number of
 * values and is prepared once; on MySQL an `IN` list.
 */
export function oneOf(
  q: SqlRunner,
  column: string,
  values: unknown[],
  first: number,
): {sql: string; params: unknown[]} {
  if (q.dialect === 'postgres') {
    return {sql: `${column} = ANY($${first})`, params: [values]};
  }
  const list = values.map((_, i) => `$${first + i}`).join(', ');
  return {sql: `${column} IN (${list})`, params: values};
}

interface DriverError {
  code?: string;
  errno?: number;
  constraint?: string;
  message?: string;
  sqlMessage?: string;
  /** Sequelize wraps the driver's error. */
  original?: DriverError;
}

/**
 * True when `err` is a unique-constraint violation, optionally of `index`:
 * PostgreSQL's 23505, MySQL's ER_DUP_ENTRY (1062), as the drivers throw them
 * or wrapped by Sequelize.
 */
export function isUniqueViolation(err: unknown, index?: string): boolean {
  let e = err as DriverError | undefined;
  if (e?.original) e = e.original;
  if (e?.code === '23505') return !index || e.constraint === index;
  if (e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062) {
    // "Duplicate entry 'x' for key 'name'" (MySQL 8: 'table.name')
    const key = / for key '(?:[^'.]*\.)?([^'.]*)'$/.exec(
      String(e.sqlMessage ?? e.message),
    )?.[1];
    return !index || key === index;
  }
  return false;
}

/** A driver transaction: whatever the ORM's begin answered. */
export interface DriverTransaction {
  commit(): unknown;
  rollback(): unknown;
}

/**
 * Runs `work` on `runner` inside the open transaction `tx`: commits when it
 * resolves, rolls back when it throws (reporting the error that caused it,
 * not a failed rollback's).
 */
export async function runInTransaction<T>(
  tx: DriverTransaction,
  runner: SqlRunner,
  work: (tx: SqlRunner) => Promise<T>,
): Promise<T> {
  try {
    const result = await work(runner);
    await tx.commit();
    return result;
  } catch (err) {
    try {
      await tx.rollback();
    } catch {
      // already rolled back by the driver, or the connection is gone
    }
    throw err;
  }
}
