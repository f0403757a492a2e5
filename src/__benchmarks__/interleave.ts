import {BenchOptions} from './config';
import {LoadRequest, LoadResult, LoadSlice, runSlice, summarize} from './load';

/** Something to drive: a server and the stream of requests to send it. */
export interface LoadTarget {
  url: string;
  next: () => LoadRequest;
}

/** Seconds of each measured slice. */
const SLICE_SECONDS = 2;

/**
 * Measures several targets in the same stretch of time: each is warmed up,
 * then they take turns in short slices (the framework ceiling, the 10k
 * application, the 1M application, again, …) until each had
 * `durationSeconds`. A machine whose background load drifts then weighs on
 * all of them alike, which is what makes their ratios meaningful.
 * `beforeMeasure` runs after the warm-ups. Failures of the warm-up count.
 */
export async function measureInterleaved(
  targets: LoadTarget[],
  options: BenchOptions,
  beforeMeasure?: () => Promise<void>,
): Promise<LoadResult[]> {
  const {connections} = options;
  const warm: LoadSlice[] = [];
  if (options.warmupSeconds > 0) {
    for (const t of targets) {
      const durationSeconds = options.warmupSeconds;
      warm.push(
        await runSlice({url: t.url, connections, durationSeconds}, t.next),
      );
    }
  }
  await beforeMeasure?.();
  const slices = targets.map((): LoadSlice[] => []);
  const rounds = Math.max(
    1,
    Math.round(options.durationSeconds / SLICE_SECONDS),
  );
  const durationSeconds = options.durationSeconds / rounds;
  for (let r = 0; r < rounds; r++) {
    // alternate the order, so no target always follows the same one
    const order = targets.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const t = targets[i];
      slices[i].push(
        await runSlice({url: t.url, connections, durationSeconds}, t.next),
      );
    }
  }
  return slices.map((s, i) => {
    const result = summarize(s);
    const w = warm[i] ? summarize([warm[i]]) : undefined;
    if (!w?.failed) return result;
    // a request that failed in the warm-up is a failure too
    const statusCodes = {...result.statusCodes};
    for (const [code, n] of Object.entries(w.statusCodes)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
    }
    return {...result, failed: result.failed + w.failed, statusCodes};
  });
}
