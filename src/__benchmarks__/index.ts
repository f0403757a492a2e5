// `npm run bench`: seeds a throwaway PostgreSQL with one database per size
// (default 10,000 and 1,000,000 messages), drives the API with autocannon,
// prints a table and writes a JSON report to bench-results/. Never part of
// `npm test` or CI. Environment: BENCH_SIZES, BENCH_DURATION, BENCH_WARMUP,
// BENCH_CONNECTIONS, BENCH_POOL_SIZE, BENCH_SSE_SUBSCRIBERS,
// BENCH_SSE_MESSAGES, BENCH_RESULTS_DIR, BENCH_SCENARIOS (e.g. `instances`:
// the two-instance bus fan-out and the memory of open streams, on the
// smallest size only), BENCH_BUS_DURATION, BENCH_BUS_STREAMS,
// BENCH_BUS_RATE, BENCH_MEMORY_STREAMS (see README, "Benchmarks").
import {randomBytes} from 'crypto';
import fs from 'fs';
import path from 'path';
import {
  checkScenarioKeys,
  DATABASE_FIGURES_KEY,
  describeMachine,
  INSTANCE_SCENARIO_KEYS,
  readBenchOptions,
} from './config';
import {prepareDataSet} from './dataset';
import {databaseSettings, startBenchPostgres} from './postgres';
import {stopAllChildren} from './processes';
import {BenchReport, finishReport, formatReport} from './report';
import {runInstanceScenarios} from './instances';
import {measuresSizes, runScenarios, SCENARIOS} from './run';

let stopPostgres: (() => Promise<void>) | undefined;

async function cleanUp() {
  await stopAllChildren();
  const stop = stopPostgres;
  stopPostgres = undefined;
  await stop?.();
}

async function main(): Promise<number> {
  const options = readBenchOptions();
  checkScenarioKeys(options, [
    ...SCENARIOS.map(s => s.key),
    DATABASE_FIGURES_KEY,
    ...INSTANCE_SCENARIO_KEYS,
  ]);
  // the instance scenarios alone need one data set: the smallest
  const sizes = measuresSizes(options)
    ? options.sizes
    : [Math.min(...options.sizes)];
  const started = Date.now();
  const runId = randomBytes(4).toString('hex');
  const log = (line: string) => console.log(line);
  const machine = describeMachine();
  const server = await startBenchPostgres(line => log(`[postgres] ${line}`));
  stopPostgres = server.stop;
  const sets = [];
  for (const size of sizes) {
    sets.push(await prepareDataSet(server, size, log));
  }
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    machine,
    postgres: {
      version: server.serverVersion,
      settings: await databaseSettings(server.pool),
    },
    options,
    frameworkCeilings: await runScenarios(sets, options, runId, log),
    sizes: sets.map(s => s.report),
    instances: await runInstanceScenarios(
      sets.reduce((a, b) => (b.messages < a.messages ? b : a)),
      options,
      runId,
      log,
    ),
    targets: [],
    failures: [],
  };
  await cleanUp();
  finishReport(report, started);
  fs.mkdirSync(options.resultsDir, {recursive: true});
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = path.join(options.resultsDir, `bench-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(options.resultsDir, 'latest.json'), json);
  log(`\n${formatReport(report)}`);
  log(`\nReport: ${file} (${report.seconds} s)`);
  return report.failures.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the bench…`);
    const exit = () => process.exit(130);
    cleanUp().then(exit, exit);
  });
}

main().then(
  code => process.exit(code),
  async err => {
    console.error(`The bench failed: ${err?.stack ?? err}`);
    await cleanUp().catch(() => undefined);
    process.exit(1);
  },
);
