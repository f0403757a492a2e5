import {BenchOptions} from './config';
import {DataSet} from './dataset';
import {runDbCeiling} from './db-ceiling';
import {resetStatementStats, statementTotals, topStatements} from './db-stats';
import {explainHotQueries} from './explain';
import {round} from './load';
import {fmtCount} from './report';
import {Log, logResult} from './log';

/** The database ceiling and the EXPLAIN of the hot statements of one size. */
export async function databaseFigures(
  set: DataSet,
  options: BenchOptions,
  runId: string,
  log: Log,
) {
  const size = fmtCount(set.messages);
  log(`\n-- ${size}: database ceiling (the send's SQL on a raw pg pool)`);
  const dbCeiling = (durationSeconds: number) =>
    runDbCeiling({
      databaseUrl: set.db.url,
      poolSize: options.poolSize,
      preparedStatements: options.preparedStatements,
      workers: options.connections,
      durationSeconds,
      pairs: set.fixtures.sendPairs,
      runId: `${runId}-${set.messages}-db${durationSeconds}`,
    });
  if (options.warmupSeconds > 0) await dbCeiling(options.warmupSeconds);
  await resetStatementStats(set.db.pool);
  const result = await dbCeiling(options.durationSeconds);
  set.report.databaseCeiling = {
    ...result,
    ...(await databaseLoad(set, result.ok)),
  };
  logResult(log, size, set.report.databaseCeiling);

  log(`-- ${size}: EXPLAIN (ANALYZE, BUFFERS) of the hot statements`);
  set.report.explain = await explainHotQueries(
    set.db.pool,
    set.db.url,
    set.fixtures,
  );
  for (const e of set.report.explain) {
    const flag = e.seqScans.length
      ? `SEQ SCAN: ${e.seqScans.join(', ')}`
      : 'index-served';
    log(
      `  [${e.operations.join(', ')}] ${e.executionMs} ms, ${flag}: ` +
        e.sql.slice(0, 80),
    );
  }
}

/** What the database did for a measured run (since the last reset). */
export async function databaseLoad(set: DataSet, requests: number) {
  const totals = await statementTotals(set.db.pool);
  const statements = await topStatements(set.db.pool, 8);
  if (requests === 0) return {statements};
  return {
    statements,
    statementsPerRequest: round(totals.calls / requests, 1),
    databaseMsPerRequest: round(totals.ms / requests, 3),
  };
}
