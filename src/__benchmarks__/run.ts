import {
  BENCH_JWT_SECRET,
  BenchOptions,
  DATABASE_FIGURES_KEY,
  selects,
} from './config';
import {DataSet, startApp, stopApp} from './dataset';
import {databaseFigures, databaseLoad} from './db-figures';
import {resetStatementStats} from './db-stats';
import {Fixtures, tokenOf} from './fixtures';
import {measureInterleaved} from './interleave';
import {LoadRequest, LoadResult, runLoad} from './load';
import {Log, logResult} from './log';
import {startServer} from './processes';
import {fmtCount} from './report';
import {
  HTTP_SCENARIOS,
  Scenario,
  ScenarioContext,
  ScenarioResult,
} from './scenarios';
import {SSE_FANOUT} from './sse-fanout';

/** Every scenario, in the order they run: reads, writes, then fan-out. */
export const SCENARIOS: Scenario[] = [...HTTP_SCENARIOS, SSE_FANOUT];

/** The per-size scenarios the run selects (BENCH_SCENARIOS). */
export function selectedScenarios(options: BenchOptions): Scenario[] {
  return SCENARIOS.filter(s => selects(options, s.key));
}

/** True when anything is measured per data-set size. */
export function measuresSizes(options: BenchOptions): boolean {
  return (
    selectedScenarios(options).length > 0 ||
    selects(options, DATABASE_FIGURES_KEY)
  );
}

/**
 * Runs the selected scenarios against every size. HTTP scenarios are measured
 * interleaved with the framework ceiling (see `measureInterleaved`), so
 * background noise hits the ceiling and the sizes alike; answers those
 * ceilings by scenario key. Custom scenarios (SSE fan-out) run per size.
 * Then, per size, the database ceiling and EXPLAIN.
 */
export async function runScenarios(
  sets: DataSet[],
  options: BenchOptions,
  runId: string,
  log: Log,
): Promise<Record<string, LoadResult>> {
  const ceilings: Record<string, LoadResult> = {};
  const scenarios = selectedScenarios(options);
  if (scenarios.length > 0) {
    await runSelected(scenarios, ceilings, sets, options, runId, log);
  }
  if (selects(options, DATABASE_FIGURES_KEY)) {
    for (const set of sets) await databaseFigures(set, options, runId, log);
  }
  return ceilings;
}

async function runSelected(
  scenarios: Scenario[],
  ceilings: Record<string, LoadResult>,
  sets: DataSet[],
  options: BenchOptions,
  runId: string,
  log: Log,
) {
  const ceiling = await startServer('ceiling-server', {
    JWT_SECRET: BENCH_JWT_SECRET,
  });
  const resetStats = async () => {
    for (const set of sets) await resetStatementStats(set.db.pool);
  };
  try {
    for (const set of sets) await startApp(set, options);
    const ctxOf = (set: DataSet): ScenarioContext => ({
      options,
      fixtures: set.fixtures,
      app: set.app!,
      runId: `${runId}-${set.messages}`,
      log,
    });
    // fresh processes: compile the hot paths before the first measurement
    log('\n-- warming up the servers (reads, 5 s each)');
    await runLoad(
      {url: ceiling.url, connections: options.connections, durationSeconds: 5},
      ceilingRequests(sets[0].fixtures),
    );
    for (const set of sets) await warmUp(ctxOf(set));
    for (const scenario of scenarios) {
      log(`\n-- ${scenario.label}`);
      if (scenario.requests) {
        const targets = [
          {url: ceiling.url, next: ceilingRequests(sets[0].fixtures)},
          ...sets.map(set => ({
            url: set.app!.url,
            next: scenario.requests!(ctxOf(set)),
          })),
        ];
        const [fw, ...results] = await measureInterleaved(
          targets,
          options,
          resetStats,
        );
        ceilings[scenario.key] = fw;
        logResult(log, 'framework ceiling', fw);
        for (const [i, set] of sets.entries()) {
          await record(set, scenario, results[i], fw.rps, log);
        }
        continue;
      }
      for (const set of sets) {
        await resetStatementStats(set.db.pool);
        const result = await scenario.run!(ctxOf(set));
        if (!result) {
          log(`  ${fmtCount(set.messages)}: skipped, not in this build`);
          set.report.skipped.push(scenario.key);
          continue;
        }
        await record(set, scenario, result, undefined, log);
      }
    }
  } finally {
    await ceiling.stop();
    for (const set of sets) await stopApp(set);
  }
}

async function record(
  set: DataSet,
  scenario: Scenario,
  result: ScenarioResult,
  frameworkRps: number | undefined,
  log: Log,
) {
  set.report.scenarios[scenario.key] = {
    label: scenario.label,
    frameworkRps,
    ...result,
    // per request only where requests are what is measured
    ...(await databaseLoad(set, scenario.requests ? result.ok : 0)),
  };
  logResult(log, fmtCount(set.messages), result);
}

/** Five seconds of the read scenarios, mixed, unmeasured. */
async function warmUp(ctx: ScenarioContext) {
  const reads = HTTP_SCENARIOS.filter(s => !s.writes).map(s =>
    s.requests!(ctx),
  );
  let n = 0;
  const next = () => reads[n++ % reads.length]();
  const {connections} = ctx.options;
  await runLoad({url: ctx.app.url, connections, durationSeconds: 5}, next);
}

/** The framework ceiling's requests: the same tokens in rotation. */
function ceilingRequests(fixtures: Fixtures): () => LoadRequest {
  const users = fixtures.staffUsers;
  let n = 0;
  return () => ({
    method: 'GET',
    path: '/ceiling',
    token: tokenOf(fixtures, users[n++ % users.length]),
  });
}
