import {BenchBus, BusFanoutResult, runBusFanout} from './bus-fanout';
import {BenchOptions, selects} from './config';
import {DataSet} from './dataset';
import {Log} from './log';
import {measureStreamMemory, StreamMemoryResult} from './stream-memory';

/** The figures of several instances, measured on one data set. */
export interface InstancesReport {
  /** Messages of the data set they ran on (the smallest). */
  messages: number;
  buses: BusFanoutResult[];
  streamMemory?: StreamMemoryResult;
  /** Scenarios that did not apply, with why (e.g. a bus this build lacks). */
  skipped: {key: string; reason: string}[];
  failures: string[];
}

const BUSES: {key: string; bus: BenchBus}[] = [
  {key: 'busMemory', bus: 'memory'},
  {key: 'busPostgres', bus: 'postgres'},
  {key: 'busRedis', bus: 'redis'},
];

/**
 * Runs the selected scenarios of several instances (`busMemory`, the
 * one-instance reference, `busPostgres`, `busRedis`, `streamMemory`) on `set`, each with application processes
 * of its own; answers undefined when none is selected.
 */
export async function runInstanceScenarios(
  set: DataSet,
  options: BenchOptions,
  runId: string,
  log: Log,
): Promise<InstancesReport | undefined> {
  const buses = BUSES.filter(b => selects(options, b.key));
  const memory = selects(options, 'streamMemory');
  if (buses.length === 0 && !memory) return undefined;
  const report: InstancesReport = {
    messages: set.messages,
    buses: [],
    skipped: [],
    failures: [],
  };
  for (const [index, {key, bus}] of buses.entries()) {
    log(
      bus === 'memory'
        ? '\n-- bus fan-out reference: one instance, memory bus'
        : `\n-- bus fan-out, two instances, ${bus} bus`,
    );
    try {
      report.buses.push(
        await runBusFanout(bus, index, set, options, runId, log),
      );
    } catch (err) {
      const reason = (err as Error).message;
      log(`  ${bus}: ${reason}`);
      if (/this build has no such bus/.test(reason)) {
        report.skipped.push({key, reason});
      } else {
        report.failures.push(`bus fan-out, ${bus}: ${reason}`);
      }
    }
  }
  if (memory) {
    log(`\n-- memory of ${options.memoryStreams} open streams, one instance`);
    try {
      report.streamMemory = await measureStreamMemory(set, options, log);
    } catch (err) {
      const reason = (err as Error).message;
      log(`  ${reason}`);
      report.failures.push(`stream memory: ${reason}`);
    }
  }
  for (const b of report.buses) {
    for (const [name, p] of [
      ['saturated', b.saturated],
      ['paced', b.paced],
    ] as const) {
      const what = `bus fan-out, ${b.bus}, ${name}`;
      if (p.missingFrames) {
        report.failures.push(`${what}: ${p.missingFrames} frames missing`);
      }
      if (p.sendFailed) {
        report.failures.push(`${what}: ${p.sendFailed} sends failed`);
      }
    }
    if (b.duplicateFrames) {
      report.failures.push(
        `bus fan-out, ${b.bus}: ${b.duplicateFrames} frames delivered twice`,
      );
    }
  }
  return report;
}
