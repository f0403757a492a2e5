import {performance} from 'perf_hooks';
import {BusPhaseResult, formatPhase, phaseResult} from './bus-figures';
import {BusGroup, BusLoad} from './bus-load';
import {createGroup, waitForQuiet} from './chat-http';
import {BenchOptions} from './config';
import {DataSet, startAppProcess} from './dataset';
import {signToken, tokenOf} from './fixtures';
import {round} from './load';
import {Log} from './log';
import {ServerProcess} from './processes';
import {openStreams, SseConnection} from './sse-client';
import {TestRedisServer} from '../__tests__/fixtures/redis-server';

/** `memory`: the reference, one instance holding every stream. */
export type BenchBus = 'memory' | 'postgres' | 'redis';

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
  let redis: TestRedisServer | undefined;
  const apps: ServerProcess[] = [];
  let streams: SseConnection[] = [];
  try {
    const env: Record<string, string> = {BENCH_EVENT_BUS: bus};
    if (bus === 'redis') {
      redis = await TestRedisServer.start();
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
    const {groups, onB} = await createGroups(a, set, users, count);
    const load = new BusLoad(a.url, groups, `${runId}-${bus}`);
    let lastFrameAt = performance.now();
    const opened = performance.now();
    const onEnd = () => load.streamsEnded++;
    const open = async (onInstanceB: boolean) => {
      const mine = users.filter((_, i) => onB[i] === onInstanceB);
      const offset = onInstanceB ? 0 : users.length;
      return openStreams(
        `${(onInstanceB ? b : a).url}/events`,
        mine,
        signToken,
        (frame, i) => {
          lastFrameAt = frame.receivedAt;
          load.onFrame(frame, offset + i, onInstanceB);
        },
        onEnd,
      );
    };
    streams = [...(await open(true)), ...(await open(false))];
    const openSeconds = (performance.now() - opened) / 1000;
    await waitForQuiet(
      () => lastFrameAt,
      opened,
      1000,
      openSeconds * 1000 + 30_000,
    );
    log(
      `  ${bus}: ${streams.length} streams in ${count} groups open in ` +
        `${round(openSeconds)} s; warm-up ${WARM_UP_SECONDS} s`,
    );

    // CPU time of A and B over a phase and the drain after it
    const phase = async (run: () => Promise<void>) => {
      const [a0, b0] = [a.cpuSeconds(), b.cpuSeconds()];
      await run();
      await load.drain(DRAIN_MS);
      const cpu = {a: a.cpuSeconds() - a0, b: b.cpuSeconds() - b0};
      return phaseResult(load.phases[load.phases.length - 1], cpu, a === b);
    };
    await phase(() => load.closedLoop(options.connections, WARM_UP_SECONDS));
    const saturated = await phase(() =>
      load.closedLoop(options.connections, options.busSeconds),
    );
    log(`  ${bus}, ${options.connections} senders: ${formatPhase(saturated)}`);
    const rate =
      options.busRate || Math.max(1, Math.round(saturated.sendsPerSecond / 2));
    const paced = {
      ...(await phase(() => load.paced(rate, options.busSeconds))),
      rate,
    };
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

/**
 * Groups of 10 of `users`, each created through `a` by a staff user who
 * sends to it; answers them and, per user, whether its stream goes to B.
 */
async function createGroups(
  a: ServerProcess,
  set: DataSet,
  users: string[],
  count: number,
): Promise<{groups: BusGroup[]; onB: boolean[]}> {
  const groups: BusGroup[] = [];
  const onB: boolean[] = [];
  const staff = set.fixtures.staffUsers;
  for (let g = 0; g < count; g++) {
    const members = users.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE);
    const senderToken = tokenOf(set.fixtures, staff[g % staff.length]);
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
    members.forEach((_, i) => onB.push(i < GROUP_SIZE - ON_A_PER_GROUP));
  }
  return {groups, onB};
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
