import {Pool} from 'pg';

/** Database time of one statement during a measured run. */
export interface StatementStats {
  calls: number;
  /** Mean execution and planning time, ms. */
  meanExecMs: number;
  meanPlanMs: number;
  /** Total execution + planning time, ms. */
  totalMs: number;
  rowsPerCall: number;
  buffersPerCall: number;
  query: string;
}

/** Forgets the statistics collected so far (pg_stat_statements). */
export async function resetStatementStats(pool: Pool): Promise<void> {
  await pool.query('SELECT pg_stat_statements_reset()');
}

/**
 * The statements of the pool's database that took the most database time
 * since the reset.
 */
export async function topStatements(
  pool: Pool,
  limit = 10,
): Promise<StatementStats[]> {
  const {rows} = await pool.query(
    `SELECT calls, mean_exec_time, mean_plan_time,
            total_exec_time + total_plan_time AS total, rows,
            shared_blks_hit + shared_blks_read AS blocks, query
       FROM pg_stat_statements
      WHERE query NOT ILIKE '%pg_stat_statements%' AND calls > 0
        AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time + total_plan_time DESC LIMIT $1`,
    [limit],
  );
  const r2 = (x: number) => Math.round(x * 1000) / 1000;
  return rows.map(r => ({
    calls: Number(r.calls),
    meanExecMs: r2(r.mean_exec_time),
    meanPlanMs: r2(r.mean_plan_time),
    totalMs: Math.round(r.total),
    rowsPerCall: r2(Number(r.rows) / Number(r.calls)),
    buffersPerCall: r2(Number(r.blocks) / Number(r.calls)),
    query: String(r.query).replace(/\s+/g, ' ').trim().slice(0, 300),
  }));
}

/** Statements run and database time spent in the pool's database. */
export async function statementTotals(
  pool: Pool,
): Promise<{calls: number; ms: number}> {
  const {rows} = await pool.query(
    `SELECT COALESCE(sum(calls), 0) AS calls,
            COALESCE(sum(total_exec_time + total_plan_time), 0) AS ms
       FROM pg_stat_statements
      WHERE query NOT ILIKE '%pg_stat_statements%'
        AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return {calls: Number(rows[0].calls), ms: Number(rows[0].ms)};
}
