import {performance} from 'perf_hooks';
import {BusGroup, BusLoad, Latency, latencyOf, PhaseCounts} from './bus-load';
import {createGroup, waitForQuiet} from './chat-http';
import {BenchOptions} from './config';
import {DataSet, startAppProcess} from './dataset';
import {signToken, tokenOf} from './fixtures';
import {round} from './load';
import {Log} from './log';
import {ServerProcess} from './processes';
import {BenchRedis, startBenchRedis} from './redis';
import {openStreams, SseConnection} from './sse-client';

/** `memory`: the reference, one instance holding every stream. */
export type BenchBus = 'memory' | 'postgres' | 'redis';

/** One phase of a bus run: sends through A, frames on A and B. */
export interface BusPhaseResult {
  seconds: number;
  /** Messages sent (201) per second through A. */
  sendsPerSecond: number;
  sendFailed: number;
  /** The send request's own latency on A. */
  send: Latency;
  /**
   * Messages per second that reached every one of their streams on B,
   * over the phase or until the last of them arrived, whichever is longer.
   */
  eventsPerSecondOnB: number;
  /** Frames per second on B, counted the same way. */
  framesPerSecondOnB: number;
  /** Send-to-frame latency on B (across instances) and on A (local). */
  onB: Latency;
  onA: Latency;
  /** Frames that never arrived (within 15 s of the phase's end). */
  missingFrames: number;
  /** Paced phase: the rate asked for and the sends skipped as too many. */
  rate?: number;
  behind?: number;
}

/**
 * A bus fan-out run: two instances on one database, one bus (for `memory`
 * one instance: A and B are the same).
 */
export interface BusFanoutResult {
  bus: BenchBus;
  groups: number;
  streamsOnA: number;
  streamsOnB: number;
  /** Concurrent sends of the saturated phase. */
  senders: number;
  openSeconds: number;
  saturated: BusPhaseResult;
  paced: BusPhaseResult;
  duplicateFrames: number;
  streamsClosedByServer: number;
}

const GROUP_SIZE = 10;
const ON_A_PER_GROUP = 2;
const WARM_UP_SECONDS = 3;
const DRAIN_MS = 15_000;

/**
 * Two application processes with the `bus` event bus on the data set's
 * database (and for redis a redis-server of its own; for memory, the
 * reference, one process that is both A and B). Groups of 10 seeded
 * users, 8 holding `GET /events` on B and 2 on A; staff users send to the
 * groups through A. First `connections` concurrent senders as fast as A
 * answers (after 3 s of warm-up), then a steady half of that rate (or
 * `busRate`), each phase `busSeconds` long and drained before the next.
 */
export async function runBusFanout(
  bus: BenchBus,
  index: number,
  set: DataSet,
  options: BenchOptions,
  runId: string,
  log: Log,
): Promise<BusFanoutResult> {
  const count = Math.max(1, Math.round(options.busStreams / GROUP_SIZE));
  const users = usersOfRun(set, options, index, count * GROUP_SIZE);
  let redis: BenchRedis | undefined;
  const apps: ServerProcess[] = [];
  let streams: SseConnection[] = [];
  try {
    const env: Record<string, string> = {BENCH_EVENT_BUS: bus};
    if (bus === 'redis') {
      redis = await startBenchRedis();
      env.BENCH_REDIS_URL = redis.url;
    }
    const instances = bus === 'memory' ? 1 : 2;
    apps.push(
      ...(await Promise.all(
        Array.from({length: instances}, () =>
          startAppProcess(set, options, env),
        ),
      )),
    );
    const [a, b = a] = apps;
    for (const app of apps) await checkBus(app, bus);
    const groups: BusGroup[] = [];
    const placement: {group: number; onB: boolean}[] = [];
    for (let g = 0; g < count; g++) {
      const members = users.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE);
      const sender =
        set.fixtures.staffUsers[g % set.fixtures.staffUsers.length];
      const senderToken = tokenOf(set.fixtures, sender);
      const conversationId = await createGroup(
        a.url,
        senderToken,
        members,
        `Bus bench ${g}`,
      );
      groups.push({
        conversationId,
        senderToken,
        streamsOnA: ON_A_PER_GROUP,
        streamsOnB: GROUP_SIZE - ON_A_PER_GROUP,
      });
      members.forEach((_, i) =>
        placement.push({group: g, onB: i < GROUP_SIZE - ON_A_PER_GROUP}),
      );
    }
    const load = new BusLoad(a.url, groups, `${runId}-${bus}`);
    let lastFrameAt = performance.now();
    const opened = performance.now();
    const onEnd = () => load.streamsEnded++;
    const open = async (onB: boolean) => {
      const mine = users.filter((_, i) => placement[i].onB === onB);
      const offset = onB ? 0 : users.length;
      return openStreams(
        `${(onB ? b : a).url}/events`,
        mine,
        signToken,
        (frame, i) => {
          lastFrameAt = frame.receivedAt;
          load.onFrame(frame, offset + i, onB);
        },
        onEnd,
      );
    };
    streams = [...(await open(true)), ...(await open(false))];
    const openSeconds = (performance.now() - opened) / 1000;
    await waitForQuiet(() => lastFrameAt, opened, 1000, 30_000);
    log(
      `  ${bus}: ${streams.length} streams in ${count} groups open in ` +
        `${round(openSeconds)} s; warm-up ${WARM_UP_SECONDS} s`,
    );

    await load.closedLoop(options.connections, WARM_UP_SECONDS);
    await load.drain(DRAIN_MS);
    await load.closedLoop(options.connections, options.busSeconds);
    await load.drain(DRAIN_MS);
    const saturated = phaseResult(load.phases[1]);
    log(`  ${bus}, ${options.connections} senders: ${formatPhase(saturated)}`);
    const rate =
      options.busRate || Math.max(1, Math.round(saturated.sendsPerSecond / 2));
    await load.paced(rate, options.busSeconds);
    await load.drain(DRAIN_MS);
    const paced = {...phaseResult(load.phases[2]), rate};
    log(`  ${bus}, ${rate} sends/s: ${formatPhase(paced)}`);
    return {
      bus,
      groups: count,
      streamsOnA: count * ON_A_PER_GROUP,
      streamsOnB: count * (GROUP_SIZE - ON_A_PER_GROUP),
      senders: options.connections,
      openSeconds: round(openSeconds),
      saturated,
      paced,
      duplicateFrames: load.duplicates,
      streamsClosedByServer: load.streamsEnded,
    };
  } finally {
    streams.forEach(s => s.close());
    await Promise.all(apps.map(app => app.stop()));
    await redis?.stop();
  }
}

/** One line of a phase's figures. */
export function formatPhase(p: BusPhaseResult): string {
  return (
    `${p.sendsPerSecond} sends/s, ${p.eventsPerSecondOnB} events/s and ` +
    `${p.framesPerSecondOnB} frames/s on B; send-to-frame on B p50 ` +
    `${p.onB.p50} ms, p99 ${p.onB.p99} ms (on A ${p.onA.p50} / ` +
    `${p.onA.p99} ms); send p50 ${p.send.p50} ms` +
    (p.missingFrames ? `, ${p.missingFrames} FRAMES MISSING` : '') +
    (p.sendFailed ? `, ${p.sendFailed} SENDS FAILED` : '') +
    (p.behind ? `, ${p.behind} sends skipped (too many in flight)` : '')
  );
}

function phaseResult(p: PhaseCounts): BusPhaseResult {
  const seconds = (p.endedAt - p.startedAt) / 1000;
  const deliverySeconds = Math.max(
    seconds,
    (p.lastFrameOnB - p.startedAt) / 1000,
  );
  return {
    seconds: round(seconds),
    sendsPerSecond: round(p.sendLatencies.length / seconds, 0),
    sendFailed: p.sendFailed,
    send: latencyOf(p.sendLatencies),
    eventsPerSecondOnB: round(p.completeOnB / deliverySeconds, 0),
    framesPerSecondOnB: round(p.onB.length / deliverySeconds, 0),
    onB: latencyOf(p.onB),
    onA: latencyOf(p.onA),
    missingFrames: p.outstanding,
    ...(p.behind ? {behind: p.behind} : {}),
  };
}

/**
 * The seeded users of bus run `index`: taken from the end of the regular
 * users, clear of the fan-out group and the memory scenario's users.
 */
function usersOfRun(
  set: DataSet,
  options: BenchOptions,
  index: number,
  n: number,
): string[] {
  const all = set.fixtures.regularUsers;
  const end = all.length - index * n;
  if (end - n < options.sseSubscribers + options.memoryStreams) {
    throw new Error('BENCH_BUS_STREAMS: not enough seeded users for it');
  }
  return all.slice(end - n, end);
}

/** Fails unless the instance runs the `bus` event bus and it is up. */
async function checkBus(app: ServerProcess, bus: BenchBus): Promise<void> {
  const res = await fetch(`${app.url}/health`);
  const body = (await res.json()) as {eventBus?: {type?: string}};
  const type = body.eventBus?.type;
  if (type !== bus) {
    throw new Error(
      `the application runs the ${type} event bus, not ${bus} ` +
        '(this build has no such bus)',
    );
  }
  if (res.status !== 200) {
    throw new Error(
      `GET /health answered ${res.status}: ${JSON.stringify(body)}`,
    );
  }
}
