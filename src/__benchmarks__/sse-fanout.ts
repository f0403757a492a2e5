import {performance} from 'perf_hooks';
import {createGroup, post, sleep, waitForQuiet} from './chat-http';
import {signToken, tokenOf} from './fixtures';
import {percentile, round} from './load';
import {Scenario, ScenarioContext, ScenarioResult} from './scenarios';
import {openSse, SseConnection, SseFrame} from './sse-client';

/**
 * SSE fan-out: `sseSubscribers` members of one group each hold a
 * `GET /events` stream; once the streams are open and quiet (the presence
 * events of users coming online are delivered), one member sends
 * `sseMessages` messages, one at a time, each once the previous one reached
 * every stream (or 10 s passed). Latency is from just before the send's
 * request to the arrival of the frame on each stream. Skipped (undefined)
 * when `GET /events` is missing.
 */
export const SSE_FANOUT: Scenario = {
  key: 'sseFanout',
  label: 'SSE fan-out delivery',
  run: runFanout,
};

const MARK = /FANOUT#(\d+)#/;
const PER_MESSAGE_TIMEOUT_MS = 10_000;
const QUIET_MS = 2_000;
const MAX_SETTLE_MS = 120_000;

async function runFanout(
  ctx: ScenarioContext,
): Promise<ScenarioResult | undefined> {
  const base = ctx.app.url;
  // without a token: 401 when the route exists
  const probe = await fetch(`${base}/events`).catch(() => undefined);
  await probe?.body?.cancel();
  if (!probe || probe.status === 404) return undefined;

  const {sseMessages: m} = ctx.options;
  const users = ctx.fixtures.regularUsers.slice(0, ctx.options.sseSubscribers);
  const senderToken = tokenOf(ctx.fixtures, ctx.fixtures.staffUsers[0]);
  const conversationId = await createGroup(base, senderToken, users);
  const received = new Array<number>(m).fill(0);
  const latencies: number[] = [];
  const sentAt: number[] = [];
  let waiting: {k: number; done: () => void} | undefined;
  let [ended, otherFrames, lastFrameAt] = [0, 0, performance.now()];
  const onFrame = (frame: SseFrame) => {
    lastFrameAt = frame.receivedAt;
    const k = Number(MARK.exec(frame.data ?? '')?.[1] ?? -1);
    if (frame.event !== 'message.created' || !(k >= 0)) {
      otherFrames++;
      return;
    }
    latencies.push(frame.receivedAt - sentAt[k]);
    if (++received[k] === users.length && waiting?.k === k) waiting.done();
  };
  const opened = performance.now();
  const streams: SseConnection[] = [];
  try {
    for (let i = 0; i < users.length; i += 100) {
      const batch = users
        .slice(i, i + 100)
        .map(async user =>
          openSse(
            `${base}/events`,
            await signToken(user),
            onFrame,
            () => ended++,
          ),
        );
      streams.push(...(await Promise.all(batch)));
    }
    const openSeconds = (performance.now() - opened) / 1000;
    const settleSeconds = await waitForQuiet(
      () => lastFrameAt,
      opened,
      QUIET_MS,
      MAX_SETTLE_MS,
    );
    const framesWhileOpening = otherFrames;
    const withStreams = ctx.app.memory();
    ctx.log(
      `  ${users.length} streams open in ${round(openSeconds)} s, quiet after ` +
        `${round(settleSeconds)} s (${framesWhileOpening} presence frames), ` +
        `app RSS ${withStreams.rssMiB} MiB`,
    );
    const sending = performance.now();
    for (let k = 0; k < m; k++) {
      let timer: NodeJS.Timeout | undefined;
      const delivered = new Promise<void>(resolve => {
        waiting = {k, done: resolve};
        timer = setTimeout(resolve, PER_MESSAGE_TIMEOUT_MS);
      });
      sentAt[k] = performance.now();
      const status = await post(
        `${base}/conversations/${conversationId}/messages`,
        senderToken,
        {body: `FANOUT#${k}# to ${users.length} streams`},
      );
      if (status !== 201) throw new Error(`fan-out send answered ${status}`);
      await delivered;
      clearTimeout(timer);
    }
    const seconds = (performance.now() - sending) / 1000;
    const sorted = Float64Array.from(latencies).sort();
    const expected = users.length * m;
    return {
      rps: round(sorted.length / seconds, 0),
      p50: round(percentile(sorted, 0.5)),
      p99: round(percentile(sorted, 0.99)),
      mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
      ok: sorted.length,
      failed: expected - sorted.length + ended,
      statusCodes: {},
      seconds: round(seconds),
      extra: {
        subscribers: users.length,
        messages: m,
        deliveries: sorted.length,
        expectedDeliveries: expected,
        streamsClosedByServer: ended,
        openSeconds: round(openSeconds),
        settleSeconds: round(settleSeconds),
        framesWhileOpening,
        rssWithStreamsMiB: withStreams.rssMiB,
        maxDeliveryMs: round(sorted[sorted.length - 1] ?? NaN),
      },
    };
  } finally {
    for (const s of streams) s.close();
    await sleep(500);
  }
}
