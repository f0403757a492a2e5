import os from 'os';

/** What one `npm run bench` does; every field can be set by environment. */
export interface BenchOptions {
  /** Message counts of the data sets, run in this order. */
  sizes: number[];
  /** Seconds each scenario is measured. */
  durationSeconds: number;
  /** Seconds each scenario runs, unmeasured, before it is measured. */
  warmupSeconds: number;
  /** Concurrent HTTP connections (and concurrent DB-ceiling workers). */
  connections: number;
  /** Most database connections of the application's pool. */
  poolSize: number;
  /** SSE streams of the fan-out scenario. */
  sseSubscribers: number;
  /** Messages the fan-out scenario sends. */
  sseMessages: number;
  /** Folder of the JSON reports. */
  resultsDir: string;
  /** The repositories the application uses. */
  orm: 'juggler' | 'sequelize';
  /** `database.preparedStatements` of the application (juggler only). */
  preparedStatements: boolean;
  /** The scenario keys to run (`BENCH_SCENARIOS`); absent: every one. */
  scenarios?: string[];
  /** Seconds of each measured phase of a bus fan-out run. */
  busSeconds: number;
  /** SSE streams of a bus fan-out run, in groups of 10 (8 on B, 2 on A). */
  busStreams: number;
  /** Sends per second of the paced phase; 0: half the measured maximum. */
  busRate: number;
  /** Streams opened on one instance to measure their memory. */
  memoryStreams: number;
}

/** The scenarios with several instances; `instances` in BENCH_SCENARIOS. */
export const INSTANCE_SCENARIO_KEYS = [
  'busMemory',
  'busPostgres',
  'busRedis',
  'streamMemory',
];

/** `BENCH_SCENARIOS` key of the database ceiling and EXPLAIN. */
export const DATABASE_FIGURES_KEY = 'database';

/** True when the run includes the scenario `key`. */
export function selects(options: BenchOptions, key: string): boolean {
  return !options.scenarios || options.scenarios.includes(key);
}

/** Throws on a `BENCH_SCENARIOS` key that is none of `known`. */
export function checkScenarioKeys(options: BenchOptions, known: string[]) {
  const unknown = options.scenarios?.filter(key => !known.includes(key));
  if (unknown?.length) {
    throw new Error(
      `BENCH_SCENARIOS: unknown ${unknown.join(', ')}; known: ` +
        `${[...known, 'instances'].join(', ')}.`,
    );
  }
}

/** The data set: fixed, so every size has the same users and conversations. */
export const DATA_SET = {
  users: 10_000,
  conversations: 10_000,
  /** Conversations 0 … groups-1 are groups, the rest are direct. */
  groups: 3_000,
  /**
   * "Staff" users (0 … staff-1) take part in many conversations: about 23
   * direct ones and 20 groups each. The other users are in one to three.
   */
  staff: 300,
  /** The largest group; group g has about 197 / (g+1)^0.7 + 3 members. */
  maxGroupSize: 200,
  /** Days of history behind each conversation. */
  historyDays: 90,
  /** Events are seeded for messages this recent (the log is pruned). */
  eventDays: 6,
} as const;

/** HS256 secret shared by the bench's token signer and both servers. */
export const BENCH_JWT_SECRET = 'bench-secret-not-for-production-0123456789';

/**
 * PostgreSQL settings for the 24 GiB machine, as `name=value` (passed as
 * `-c` flags). Durable: fsync and synchronous_commit keep their defaults
 * (on).
 */
export const POSTGRES_SETTINGS = [
  'shared_buffers=2GB',
  'effective_cache_size=12GB',
  'work_mem=16MB',
  'maintenance_work_mem=1GB',
  'wal_buffers=64MB',
  'max_wal_size=8GB',
  'checkpoint_timeout=30min',
  'random_page_cost=1.1',
  'effective_io_concurrency=200',
  'max_connections=200',
  'huge_pages=off',
  // per-statement database time, for the report
  'shared_preload_libraries=pg_stat_statements',
  'pg_stat_statements.track_planning=on',
];

export function readBenchOptions(
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  return {
    sizes: (env.BENCH_SIZES ?? '10000,1000000')
      .split(',')
      .map(s => positive('BENCH_SIZES', s.trim())),
    durationSeconds: positive('BENCH_DURATION', env.BENCH_DURATION ?? '10'),
    warmupSeconds: positive('BENCH_WARMUP', env.BENCH_WARMUP ?? '2', true),
    connections: positive('BENCH_CONNECTIONS', env.BENCH_CONNECTIONS ?? '16'),
    poolSize: positive('BENCH_POOL_SIZE', env.BENCH_POOL_SIZE ?? '16'),
    sseSubscribers: positive(
      'BENCH_SSE_SUBSCRIBERS',
      env.BENCH_SSE_SUBSCRIBERS ?? '1000',
    ),
    sseMessages: positive('BENCH_SSE_MESSAGES', env.BENCH_SSE_MESSAGES ?? '20'),
    resultsDir: env.BENCH_RESULTS_DIR ?? 'bench-results',
    orm: env.BENCH_ORM === 'sequelize' ? 'sequelize' : 'juggler',
    preparedStatements: env.BENCH_PREPARED !== '0',
    scenarios: scenarioKeys(env.BENCH_SCENARIOS),
    busSeconds: positive('BENCH_BUS_DURATION', env.BENCH_BUS_DURATION ?? '20'),
    busStreams: positive('BENCH_BUS_STREAMS', env.BENCH_BUS_STREAMS ?? '200'),
    busRate: positive('BENCH_BUS_RATE', env.BENCH_BUS_RATE ?? '0', true),
    memoryStreams: positive(
      'BENCH_MEMORY_STREAMS',
      env.BENCH_MEMORY_STREAMS ?? '2000',
    ),
  };
}

/** The keys of `BENCH_SCENARIOS`, `instances` expanded; unset or empty: all. */
function scenarioKeys(value: string | undefined): string[] | undefined {
  const keys = (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .flatMap(s => (s === 'instances' ? INSTANCE_SCENARIO_KEYS : [s]));
  return keys.length > 0 ? keys : undefined;
}

function positive(name: string, value: string, zeroOk = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
    throw new Error(`${name} must be a positive integer, got "${value}".`);
  }
  return n;
}

/** The machine, as the report describes it. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map(l => Math.round(l * 100) / 100),
  };
}
