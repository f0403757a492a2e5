import {BENCH_JWT_SECRET, BenchOptions} from './config';
import {Fixtures, loadFixtures} from './fixtures';
import {BenchDatabase, BenchPostgres} from './postgres';
import {ServerProcess, startServer} from './processes';
import {fmtCount, SizeReport} from './report';
import {seedDataSet} from './seed';

/** One data-set size: its database, fixtures, application and figures. */
export interface DataSet {
  messages: number;
  db: BenchDatabase;
  fixtures: Fixtures;
  app?: ServerProcess;
  report: SizeReport;
}

/** Creates, migrates and seeds the database of one size. */
export async function prepareDataSet(
  server: BenchPostgres,
  messages: number,
  log: (line: string) => void,
): Promise<DataSet> {
  log(`\n== ${fmtCount(messages)} messages: seeding`);
  const db = await server.createDatabase(`chat_bench_${messages}`);
  const seed = await seedDataSet(db.pool, messages, log);
  const fixtures = await loadFixtures(db.pool);
  return {
    messages,
    db,
    fixtures,
    report: {
      messages,
      seed,
      scenarios: {},
      skipped: [],
      app: {peakRssMiB: NaN, rssAtEndMiB: NaN},
      explain: [],
    },
  };
}

/** Starts the application under test for a data set, in a child process. */
export async function startApp(set: DataSet, options: BenchOptions) {
  set.app = await startAppProcess(set, options);
  return set.app;
}

/**
 * Starts one more application process on the data set's database, with
 * `env` added (e.g. `BENCH_EVENT_BUS`) and Node flags `nodeArgs`.
 */
export function startAppProcess(
  set: DataSet,
  options: BenchOptions,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  return startServer(
    'app-server',
    {
      DATABASE_URL: set.db.url,
      JWT_SECRET: BENCH_JWT_SECRET,
      BENCH_POOL_SIZE: String(options.poolSize),
      BENCH_ORM: options.orm,
      BENCH_PREPARED: options.preparedStatements ? '1' : '0',
      ...env,
    },
    60_000,
    nodeArgs,
  );
}

/** Records the application's memory and stops it. */
export async function stopApp(set: DataSet) {
  if (!set.app) return;
  const memory = set.app.memory();
  set.report.app = {peakRssMiB: memory.peakRssMiB, rssAtEndMiB: memory.rssMiB};
  await set.app.stop();
  set.app = undefined;
}
