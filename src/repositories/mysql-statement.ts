/** A statement and its parameters as a MySQL driver takes them. */
export interface MysqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * Rewrites a statement written with PostgreSQL's `$1`-style placeholders for
 * MySQL: each `$n` becomes `?` and the parameters follow in the order the
 * placeholders appear (a placeholder used twice takes its value twice).
 * Dates become UTC `DATETIME(3)` text, whatever the connection's time zone.
 * Statements must not contain `$n` inside string literals.
 */
export function toMysqlStatement(
  sql: string,
  params: unknown[] = [],
): MysqlStatement {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) {
      throw new Error(`No parameter for placeholder $${n}.`);
    }
    ordered.push(toMysqlValue(params[index]));
    return '?';
  });
  return {sql: text, params: ordered};
}

function toMysqlValue(value: unknown): unknown {
  return value instanceof Date ? toMysqlDateTime(value) : value;
}

/** A date as MySQL `DATETIME(3)` text in UTC: `2026-11-22 09:30:00.125`. */
export function toMysqlDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
