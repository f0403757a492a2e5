// Bench only, mounted by app-server.ts: the application's own memory, after
// a full garbage collection when Node runs with --expose-gc, and the number
// of event streams it holds open.
import {inject} from '@loopback/core';
import {get} from '@loopback/rest';
import {ChatServiceBindings} from '../keys';
import {EventHub} from '../realtime';

export const BENCH_MEMORY_PATH = '/bench/memory';

/** What `GET /bench/memory` answers; sizes in bytes. */
export interface BenchMemory {
  /** A full collection ran first (Node started with `--expose-gc`). */
  collected: boolean;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** `GET /events` streams open in this process. */
  openStreams: number;
}

export class BenchMemoryController {
  constructor(@inject(ChatServiceBindings.EVENT_HUB) private hub: EventHub) {}

  @get(BENCH_MEMORY_PATH, {
    responses: {'200': {description: 'Memory of the process, in bytes.'}},
  })
  memory(): BenchMemory {
    const gc = (global as {gc?: () => void}).gc;
    // twice: the first may only finalize what the second frees
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    return {
      collected: gc !== undefined,
      rss: usage.rss,
      heapTotal: usage.heapTotal,
      heapUsed: usage.heapUsed,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      openStreams: this.hub.streams.size,
    };
  }
}
