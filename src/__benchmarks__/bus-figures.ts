import {PhaseCounts} from './bus-load';
import {percentile, round} from './load';

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
  /** CPU time of process A per message sent (its streams' frames too). */
  cpuMsPerSendOnA: number;
  /** CPU time of process B per message it delivered (two instances only). */
  cpuMsPerEventOnB?: number;
  /** Paced phase: the rate asked for and the sends skipped as too many. */
  rate?: number;
  behind?: number;
}

/** One line of a phase's figures. */
export function formatPhase(p: BusPhaseResult): string {
  return (
    `${p.sendsPerSecond} sends/s, ${p.eventsPerSecondOnB} events/s and ` +
    `${p.framesPerSecondOnB} frames/s on B; send-to-frame on B p50 ` +
    `${p.onB.p50} ms, p99 ${p.onB.p99} ms (on A ${p.onA.p50} / ` +
    `${p.onA.p99} ms); send p50 ${p.send.p50} ms; CPU ms per send on A ` +
    `${p.cpuMsPerSendOnA}` +
    (p.cpuMsPerEventOnB === undefined
      ? ''
      : `, per event on B ${p.cpuMsPerEventOnB}`) +
    (p.missingFrames ? `, ${p.missingFrames} FRAMES MISSING` : '') +
    (p.sendFailed ? `, ${p.sendFailed} SENDS FAILED` : '') +
    (p.behind ? `, ${p.behind} sends skipped (too many in flight)` : '')
  );
}

export function phaseResult(
  p: PhaseCounts,
  cpu: {a: number; b: number},
  oneProcess: boolean,
): BusPhaseResult {
  const sent = p.sendLatencies.length;
  const seconds = (p.endedAt - p.startedAt) / 1000;
  const deliverySeconds = Math.max(
    seconds,
    (p.lastFrameOnB - p.startedAt) / 1000,
  );
  return {
    seconds: round(seconds),
    sendsPerSecond: round(sent / seconds, 0),
    sendFailed: p.sendFailed,
    send: latencyOf(p.sendLatencies),
    eventsPerSecondOnB: round(p.completeOnB / deliverySeconds, 0),
    framesPerSecondOnB: round(p.onB.length / deliverySeconds, 0),
    onB: latencyOf(p.onB),
    onA: latencyOf(p.onA),
    missingFrames: p.outstanding,
    cpuMsPerSendOnA: round((cpu.a * 1000) / sent, 3),
    ...(oneProcess
      ? {}
      : {cpuMsPerEventOnB: round((cpu.b * 1000) / p.completeOnB, 3)}),
    ...(p.behind ? {behind: p.behind} : {}),
  };
}

/** Latency figures of one list of samples, ms. */
export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function latencyOf(samples: number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}
