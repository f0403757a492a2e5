import {performance} from 'perf_hooks';
import {BENCH_MEMORY_PATH, BenchMemory} from './bench-memory.controller';
import {sleep, waitForQuiet} from './chat-http';
import {BenchOptions} from './config';
import {formatStreamMemory} from './format-instances';
import {DataSet, startAppProcess} from './dataset';
import {signToken} from './fixtures';
import {round} from './load';
import {Log} from './log';
import {ServerProcess} from './processes';
import {openStreams, SseConnection} from './sse-client';

/** The memory of `streams` open event streams on one instance. */
export interface StreamMemoryResult {
  streams: number;
  eventBus: string;
  openSeconds: number;
  /** Until no frame arrived for 2 s (presence of users coming online). */
  settleSeconds: number;
  framesWhileOpening: number;
  /** After a full GC: before opening, with the streams, after closing. */
  before: BenchMemory;
  withStreams: BenchMemory;
  afterClose: BenchMemory;
  /** Growth per open stream, bytes. */
  perStream: {rss: number; heapUsed: number; external: number};
  /** Growth per 1,000 open streams, MiB. */
  per1000StreamsMiB: {rss: number; heapUsed: number; external: number};
}

const WARM_UP_STREAMS = 100;
const QUIET_MS = 2_000;
const MAX_SETTLE_MS = 60_000;
const AFTER_CLOSE_MS = 3_000;

/**
 * Starts a fresh application process (postgres bus, `--expose-gc`), opens
 * and closes 100 streams to warm it up, then measures its memory after a
 * full collection before and after `memoryStreams` users (ones of the
 * seeded data, in one to three conversations each, not the fan-out
 * group's) each open `GET /events`, and once more after they closed.
 */
export async function measureStreamMemory(
  set: DataSet,
  options: BenchOptions,
  log: Log,
): Promise<StreamMemoryResult> {
  const n = options.memoryStreams;
  const from = options.sseSubscribers;
  const users = set.fixtures.regularUsers.slice(from, from + n);
  if (users.length < n) {
    throw new Error(
      `BENCH_MEMORY_STREAMS: at most ${users.length} users are free for it`,
    );
  }
  const eventBus = 'postgres';
  const app = await startAppProcess(set, options, {BENCH_EVENT_BUS: eventBus}, [
    '--expose-gc',
  ]);
  let streams: SseConnection[] = [];
  try {
    let frames = 0;
    let lastFrameAt = performance.now();
    const onFrame = () => {
      frames++;
      lastFrameAt = performance.now();
    };
    const open = (list: string[]) =>
      openStreams(`${app.url}/events`, list, signToken, onFrame, () => {});
    streams = await open(users.slice(0, WARM_UP_STREAMS));
    await waitForQuiet(() => lastFrameAt, performance.now(), QUIET_MS, 10_000);
    streams.forEach(s => s.close());
    await untilOpenStreams(app, 0);

    const before = await readMemory(app);
    frames = 0;
    const opened = performance.now();
    streams = await open(users);
    const openSeconds = (performance.now() - opened) / 1000;
    // at most MAX_SETTLE_MS after the last stream opened
    const settleSeconds = await waitForQuiet(
      () => lastFrameAt,
      opened,
      QUIET_MS,
      openSeconds * 1000 + MAX_SETTLE_MS,
    );
    const framesWhileOpening = frames;
    const withStreams = await untilOpenStreams(app, n);
    streams.forEach(s => s.close());
    streams = [];
    await untilOpenStreams(app, 0);
    // the last closes' presence work (offline notices) settles first
    await sleep(AFTER_CLOSE_MS);
    const afterClose = await readMemory(app);
    const growth = (field: 'rss' | 'heapUsed' | 'external') =>
      (withStreams[field] - before[field]) / n;
    const perStream = {
      rss: Math.round(growth('rss')),
      heapUsed: Math.round(growth('heapUsed')),
      external: Math.round(growth('external')),
    };
    const mib = (bytes: number) => round((bytes * 1000) / 2 ** 20, 1);
    const result: StreamMemoryResult = {
      streams: n,
      eventBus,
      openSeconds: round(openSeconds),
      settleSeconds: round(settleSeconds),
      framesWhileOpening,
      before,
      withStreams,
      afterClose,
      perStream,
      per1000StreamsMiB: {
        rss: mib(perStream.rss),
        heapUsed: mib(perStream.heapUsed),
        external: mib(perStream.external),
      },
    };
    log(
      `  ${n} streams open in ${result.openSeconds} s (quiet after ` +
        `${result.settleSeconds} s, ${framesWhileOpening} frames): ` +
        formatStreamMemory(result),
    );
    return result;
  } finally {
    streams.forEach(s => s.close());
    await app.stop();
  }
}

async function readMemory(app: ServerProcess): Promise<BenchMemory> {
  const res = await fetch(`${app.url}${BENCH_MEMORY_PATH}`);
  if (res.status !== 200) {
    throw new Error(`GET ${BENCH_MEMORY_PATH} answered ${res.status}`);
  }
  const memory = (await res.json()) as BenchMemory;
  if (!memory.collected) throw new Error('The app runs without --expose-gc');
  return memory;
}

/** The memory once the application holds `count` open streams (30 s at most). */
async function untilOpenStreams(
  app: ServerProcess,
  count: number,
): Promise<BenchMemory> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const memory = await readMemory(app);
    if (memory.openStreams === count) return memory;
    if (performance.now() > deadline) {
      throw new Error(
        `The app holds ${memory.openStreams} streams, expected ${count}`,
      );
    }
    await sleep(250);
  }
}
