import {Pool} from 'pg';
import {LoadResult, percentile, round} from './load';
import {PgPoolChatDb} from '../repositories';
import {componentServices} from './pg-chat-db';

export interface DbCeilingOptions {
  databaseUrl: string;
  poolSize: number;
  /** As the application: `database.preparedStatements`. */
  preparedStatements: boolean;
  workers: number;
  durationSeconds: number;
  /** Who sends where, in rotation. */
  pairs: {userId: string; conversationId: string}[];
  runId: string;
}

/**
 * The database ceiling: the send's SQL run by the component's own
 * AccessService and MessageService (so it is exactly what the API runs,
 * whatever the send transaction becomes) over a raw `pg` pool of the same
 * size as the application's, by `workers` concurrent loops.
 */
export async function runDbCeiling(
  options: DbCeilingOptions,
): Promise<LoadResult> {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
  });
  pool.on('error', () => undefined);
  const services = await componentServices(
    options.databaseUrl,
    new PgPoolChatDb(pool, {preparedStatements: options.preparedStatements}),
  );
  const latencies: number[] = [];
  let failed = 0;
  let i = 0;
  const deadline = Date.now() + options.durationSeconds * 1000;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (Date.now() < deadline) {
      const n = i++;
      const pair = options.pairs[n % options.pairs.length];
      const t = process.hrtime.bigint();
      try {
        const user = {id: pair.userId, tenantId: ''};
        const access = await services.access.require(user, pair.conversationId);
        await services.messages.send(access, {
          body: `db ceiling message ${n}`,
          clientMessageId: `${options.runId}-db-${n}`,
        });
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({length: options.workers}, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.end();
  await services.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: round(sorted.length / seconds, 0),
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    ok: sorted.length,
    failed,
    statusCodes: {},
    seconds: round(seconds),
  };
}
