import {fmtCount, table} from './format';
import type {InstancesReport} from './instances';
import type {StreamMemoryResult} from './stream-memory';

/** The printed section of the instance scenarios. */
export function formatInstances(r: InstancesReport): string[] {
  const out = [
    `\n== Several instances (on the ${fmtCount(r.messages)} data set)`,
  ];
  if (r.buses.length) {
    const rows = [
      [
        'bus, load',
        'sends/s',
        'events/s on B',
        'frames/s on B',
        'B p50 ms',
        'B p99 ms',
        'A p50 ms',
        'A p99 ms',
        'send p99 ms',
        'A CPU ms/send',
        'B CPU ms/event',
        'missing',
      ],
    ];
    for (const b of r.buses) {
      for (const [load, p] of [
        [`${b.senders} senders`, b.saturated],
        [`${b.paced.rate}/s paced`, b.paced],
      ] as const) {
        rows.push([
          `${b.bus === 'memory' ? 'memory (1 instance)' : b.bus}, ${load}`,
          String(p.sendsPerSecond),
          String(p.eventsPerSecondOnB),
          String(p.framesPerSecondOnB),
          p.onB.p50.toFixed(2),
          p.onB.p99.toFixed(2),
          p.onA.p50.toFixed(2),
          p.onA.p99.toFixed(2),
          p.send.p99.toFixed(2),
          p.cpuMsPerSendOnA.toFixed(2),
          p.cpuMsPerEventOnB?.toFixed(2) ?? '-',
          String(p.missingFrames),
        ]);
      }
    }
    const b = r.buses[0];
    out.push(
      `Bus fan-out: two app processes A and B on one database (memory: ` +
        `one process, the reference); sends through A to ${b.groups} ` +
        `groups of 10, ${b.streamsOnB} streams on B and ${b.streamsOnA} ` +
        `on A; ${b.saturated.seconds} s per phase; latency from the send ` +
        `request to the frame`,
      table(rows),
    );
  }
  if (r.streamMemory) {
    out.push(
      `Memory of ${r.streamMemory.streams} open streams (one instance, ` +
        `${r.streamMemory.eventBus} bus, after a full GC): ` +
        formatStreamMemory(r.streamMemory),
    );
  }
  for (const s of r.skipped) out.push(`skipped: ${s.key} (${s.reason})`);
  return out;
}

/** One line: the growth per stream and per 1,000 streams. */
export function formatStreamMemory(r: StreamMemoryResult): string {
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  return (
    `RSS +${kib(r.perStream.rss)} KiB per stream ` +
    `(${r.per1000StreamsMiB.rss} MiB per 1,000), heap +` +
    `${kib(r.perStream.heapUsed)} KiB (${r.per1000StreamsMiB.heapUsed} MiB ` +
    `per 1,000), external +${kib(r.perStream.external)} KiB; RSS ` +
    `${mib(r.before.rss)} → ${mib(r.withStreams.rss)} MiB with ` +
    `${r.streams} streams, ${mib(r.afterClose.rss)} MiB after closing them ` +
    `(heap ${mib(r.before.heapUsed)} → ${mib(r.withStreams.heapUsed)} → ` +
    `${mib(r.afterClose.heapUsed)} MiB)`
  );
}
