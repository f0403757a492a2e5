import {performance} from 'perf_hooks';
import {post, sleep} from './chat-http';
import {SseFrame} from './sse-client';

/** A group of the bus fan-out: where its messages go and who sends them. */
export interface BusGroup {
  conversationId: string;
  senderToken: string;
  /** Streams of its members on instance A and on instance B. */
  streamsOnA: number;
  streamsOnB: number;
}

/** What one phase of sends counted. */
export interface PhaseCounts {
  startedAt: number;
  endedAt: number;
  sent: number;
  sendFailed: number;
  /** Sends not started because too many were in flight (paced phase). */
  behind: number;
  sendLatencies: number[];
  /** Send-to-frame latency of every frame on A and on B, ms. */
  onA: number[];
  onB: number[];
  /** Messages that reached every one of their streams on B. */
  completeOnB: number;
  lastFrameOnB: number;
  /** Frames still expected. */
  outstanding: number;
}

const MARK = /BUS#(\d+)#/;
/** Sends in flight at most in the paced phase. */
const MAX_IN_FLIGHT = 64;

/**
 * Sends messages through instance A and accounts for their frames on the
 * streams of A and B: latency from just before each send's request to the
 * frame's arrival, frames still missing, and any frame seen twice.
 */
export class BusLoad {
  readonly phases: PhaseCounts[] = [];
  duplicates = 0;
  streamsEnded = 0;
  private readonly sentAt: number[] = [];
  private readonly phaseOf: number[] = [];
  private readonly leftOnB: number[] = [];
  private readonly seen: Set<number>[] = [];
  private nextGroup = 0;

  constructor(
    private readonly urlOfA: string,
    private readonly groups: BusGroup[],
    private readonly tag: string,
  ) {}

  /** Handles a frame of stream `stream` (on B when `onB`). */
  onFrame(frame: SseFrame, stream: number, onB: boolean): void {
    const k = Number(MARK.exec(frame.data ?? '')?.[1] ?? -1);
    if (frame.event !== 'message.created' || !(k >= 0)) return;
    const seen = (this.seen[stream] ??= new Set());
    if (seen.has(k)) {
      this.duplicates++;
      return;
    }
    seen.add(k);
    const phase = this.phases[this.phaseOf[k]];
    if (!phase) return; // not a message of this run
    const latency = frame.receivedAt - this.sentAt[k];
    phase.outstanding--;
    if (!onB) {
      phase.onA.push(latency);
      return;
    }
    phase.onB.push(latency);
    phase.lastFrameOnB = frame.receivedAt;
    if (--this.leftOnB[k] === 0) phase.completeOnB++;
  }

  /** `connections` loops each sending as soon as its last send answered. */
  async closedLoop(connections: number, seconds: number): Promise<void> {
    const phase = this.startPhase();
    const end = phase.startedAt + seconds * 1000;
    const loop = async () => {
      while (performance.now() < end) await this.sendOne(phase);
    };
    await Promise.all(Array.from({length: connections}, loop));
    phase.endedAt = performance.now();
  }

  /** `rate` sends per second at a steady pace, whether answered or not. */
  async paced(rate: number, seconds: number): Promise<void> {
    const phase = this.startPhase();
    const inFlight = new Set<Promise<void>>();
    let due = 0;
    for (;;) {
      const elapsed = performance.now() - phase.startedAt;
      if (elapsed >= seconds * 1000) break;
      for (; due < Math.floor((elapsed / 1000) * rate); due++) {
        if (inFlight.size >= MAX_IN_FLIGHT) {
          phase.behind++;
          continue;
        }
        const sending = this.sendOne(phase).finally(() =>
          inFlight.delete(sending),
        );
        inFlight.add(sending);
      }
      await sleep(2);
    }
    phase.endedAt = performance.now();
    await Promise.all(inFlight);
  }

  /** Waits until every frame of the last phase arrived, or `maxMs`. */
  async drain(maxMs: number): Promise<void> {
    const phase = this.phases[this.phases.length - 1];
    const deadline = performance.now() + maxMs;
    while (phase.outstanding > 0 && performance.now() < deadline) {
      await sleep(50);
    }
  }

  private startPhase(): PhaseCounts {
    const now = performance.now();
    const phase: PhaseCounts = {
      startedAt: now,
      endedAt: now,
      sent: 0,
      sendFailed: 0,
      behind: 0,
      sendLatencies: [],
      onA: [],
      onB: [],
      completeOnB: 0,
      lastFrameOnB: now,
      outstanding: 0,
    };
    this.phases.push(phase);
    return phase;
  }

  private async sendOne(phase: PhaseCounts): Promise<void> {
    const group = this.groups[this.nextGroup++ % this.groups.length];
    const k = this.sentAt.length;
    this.phaseOf[k] = this.phases.indexOf(phase);
    this.leftOnB[k] = group.streamsOnB;
    phase.outstanding += group.streamsOnA + group.streamsOnB;
    phase.sent++;
    const started = performance.now();
    this.sentAt[k] = started;
    const status = await post(
      `${this.urlOfA}/conversations/${group.conversationId}/messages`,
      group.senderToken,
      {body: `BUS#${k}# ${this.tag}`},
    ).catch(() => 0);
    if (status === 201) {
      phase.sendLatencies.push(performance.now() - started);
      return;
    }
    phase.sendFailed++;
    phase.outstanding -= group.streamsOnA + group.streamsOnB;
  }
}
