import {BenchOptions, describeMachine} from './config';
import {ExplainedStatement} from './explain';
import {fmtCount, table} from './format';
import {formatInstances} from './format-instances';
import type {InstancesReport} from './instances';
import {LoadResult} from './load';
import {ScenarioResult} from './scenarios';
import {SeedSummary} from './seed';
import {evaluateTargets, Target} from './targets';

export {fmtCount, table};

/** A scenario's figures at one size, with the ceiling measured just before. */
export type MeasuredScenario = ScenarioResult & {
  label: string;
  /** req/s of the framework ceiling measured right before (same minute). */
  frameworkRps?: number;
};

/** Figures of one data-set size. */
export interface SizeReport {
  messages: number;
  seed: SeedSummary;
  databaseCeiling?: ScenarioResult;
  scenarios: Record<string, MeasuredScenario>;
  /** Scenarios that did not apply (feature missing). */
  skipped: string[];
  app: {peakRssMiB: number; rssAtEndMiB: number};
  explain: ExplainedStatement[];
}

export interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  machine: ReturnType<typeof describeMachine>;
  postgres: {version: string; settings: Record<string, string>};
  options: BenchOptions;
  /** The framework ceiling measured before each scenario, by its key. */
  frameworkCeilings: Record<string, LoadResult>;
  sizes: SizeReport[];
  /** Two instances per bus, and the memory of open streams (one size). */
  instances?: InstancesReport;
  targets: Target[];
  /** Requests that were not answered 2xx, and other failures. */
  failures: string[];
}

/** Finishes the report: targets and failures. */
export function finishReport(report: BenchReport, started: number): void {
  report.finishedAt = new Date().toISOString();
  report.seconds = Math.round((Date.now() - started) / 1000);
  report.targets = evaluateTargets(report.sizes);
  const fail = (what: string, r?: LoadResult) => {
    if (r && r.failed > 0) {
      report.failures.push(
        `${what}: ${r.failed} requests failed ` +
          `(status codes ${JSON.stringify(r.statusCodes)})`,
      );
    }
  };
  for (const [key, r] of Object.entries(report.frameworkCeilings)) {
    fail(`framework ceiling before ${key}`, r);
  }
  report.failures.push(...(report.instances?.failures ?? []));
  for (const size of report.sizes) {
    const at = `${fmtCount(size.messages)} messages`;
    fail(`${at}, database ceiling`, size.databaseCeiling);
    for (const s of Object.values(size.scenarios)) fail(`${at}, ${s.label}`, s);
    for (const e of size.explain) {
      if (e.seqScans.length > 0 && size.messages >= 1_000_000) {
        report.failures.push(
          `EXPLAIN at ${at}: ${e.seqScans.join(', ')} in ` +
            `${e.operations.join(', ')}: ${e.sql.slice(0, 100)}…`,
        );
      }
    }
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The printed summary: one table per size, then the targets. */
export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const {machine: m, options: o, postgres: pg} = report;
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, ` +
      `Node ${m.node}, load average at start ${m.loadAverageAtStart.join(' ')}`,
    `PostgreSQL ${pg.version} (fsync=${pg.settings.fsync}, ` +
      `synchronous_commit=${pg.settings.synchronous_commit}, shared_buffers=` +
      `${pg.settings.shared_buffers}); ${o.connections} connections, app ` +
      `pool ${o.poolSize}, ${o.orm}` +
      (o.preparedStatements ? '' : ' without prepared statements') +
      `, ${o.durationSeconds} s per run after ${o.warmupSeconds} s of warm-up`,
  );
  const ceilings = Object.values(report.frameworkCeilings);
  const fwMedian = median(ceilings.map(r => r.rps));
  const range = (values: number[]) =>
    `${Math.min(...values)}–${Math.max(...values)}`;
  if (ceilings.length) {
    out.push(
      `Framework ceiling (interleaved with each scenario): ` +
        `${range(ceilings.map(r => r.rps))} req/s, p50 ` +
        `${range(ceilings.map(r => r.p50))} ms, p99 ` +
        `${range(ceilings.map(r => r.p99))} ms`,
    );
  }
  const header = [
    'operation',
    'framework req/s',
    'req/s',
    'x framework',
    'p50 ms',
    'p99 ms',
    'SQL/req',
    'DB ms/req',
    'non-2xx',
  ];
  const measured = report.sizes.filter(
    size => Object.keys(size.scenarios).length > 0 || size.databaseCeiling,
  );
  for (const size of measured) {
    const row = (label: string, r: ScenarioResult, fw?: number) => [
      label,
      fw ? String(fw) : '-',
      String(r.rps),
      fw ? (r.rps / fw).toFixed(2) : '-',
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.statementsPerRequest?.toFixed(1) ?? '-',
      r.databaseMsPerRequest?.toFixed(2) ?? '-',
      String(r.failed),
    ];
    const rows = [header];
    for (const s of Object.values(size.scenarios)) {
      rows.push(row(s.label, s, s.frameworkRps));
    }
    if (size.databaseCeiling) {
      rows.push(
        row(
          'database ceiling: send SQL, raw pg',
          size.databaseCeiling,
          fwMedian,
        ),
      );
    }
    const seed = size.seed;
    const sse = size.scenarios.sseFanout?.extra;
    out.push(
      `\n== ${fmtCount(size.messages)} messages: ${seed.conversations} ` +
        `conversations (${seed.directConversations} direct), ${seed.users} ` +
        `users, ${seed.members} memberships, largest conversation ` +
        `${seed.largestConversation} messages, median ${seed.medianConversation}` +
        `; seeded in ${seed.seconds} s, database ` +
        `${Math.round(seed.databaseBytes / 2 ** 20)} MiB`,
      table(rows),
      `app RSS: peak ${size.app.peakRssMiB} MiB, at end ${size.app.rssAtEndMiB} MiB` +
        (sse
          ? `; with ${sse.subscribers} open SSE streams ${sse.rssWithStreamsMiB} MiB`
          : ''),
    );
    if (sse) {
      out.push(
        `SSE: ${sse.subscribers} streams opened in ${sse.openSeconds} s; ` +
          `${sse.framesWhileOpening} presence frames until quiet at ` +
          `${sse.settleSeconds} s; then ${sse.messages} messages, ` +
          `${sse.deliveries}/${sse.expectedDeliveries} deliveries`,
      );
    }
    if (size.skipped.length) out.push(`skipped: ${size.skipped.join(', ')}`);
  }
  if (measured.length) {
    out.push(
      '\n(SSE fan-out: req/s is deliveries per second, latency is from the ' +
        'send request to the frame on each stream; database ceiling ' +
        'compared with the median framework ceiling of the run)',
    );
  }
  if (report.instances) out.push(...formatInstances(report.instances));
  out.push('\n== Targets');
  for (const t of report.targets) {
    out.push(
      `${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.value} (${t.limit})`,
    );
  }
  if (report.failures.length) {
    out.push('\n== FAILURES');
    for (const f of report.failures) out.push(`!! ${f}`);
  }
  return out.join('\n');
}
