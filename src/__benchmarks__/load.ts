import autocannon from 'autocannon';

/** One HTTP request of a scenario. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: object;
}

/** Throughput and latency of one measured run. */
export interface LoadResult {
  /** 2xx responses per second. */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** 2xx responses. */
  ok: number;
  /** Responses that were not 2xx, connection errors and timeouts. */
  failed: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

/** The raw outcome of one autocannon run, to merge with others. */
export interface LoadSlice {
  /** Latency of each 2xx response, ms. */
  latencies: number[];
  failed: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
}

/**
 * Drives `url` with autocannon for a fixed time: `connections` keep-alive
 * connections, each sending the next request of `next()` as soon as the
 * previous one is answered. Latencies are kept exactly (autocannon's own
 * histogram has whole-millisecond resolution).
 */
export function runSlice(
  options: LoadOptions,
  next: () => LoadRequest,
): Promise<LoadSlice> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        requests: [{setupRequest: () => toAutocannon(next())}],
      },
      (err, result) => {
        if (err) return reject(err);
        const statusCodes: Record<string, number> = {};
        for (const [code, {count}] of Object.entries(result.statusCodeStats)) {
          statusCodes[code] = count;
        }
        resolve({
          latencies,
          failed: result.non2xx + result.errors + result.timeouts,
          statusCodes,
          seconds: result.duration,
        });
      },
    );
    instance.on(
      'response',
      (_client: unknown, status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) latencies.push(ms);
      },
    );
  });
}

/** One run, summarized. */
export async function runLoad(
  options: LoadOptions,
  next: () => LoadRequest,
): Promise<LoadResult> {
  return summarize([await runSlice(options, next)]);
}

function toAutocannon(request: LoadRequest) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${request.token}`,
  };
  if (request.body === undefined) {
    return {method: request.method, path: request.path, headers};
  }
  headers['content-type'] = 'application/json';
  return {
    method: request.method,
    path: request.path,
    headers,
    body: JSON.stringify(request.body),
  };
}

/** Merges slices: throughput over their total time, exact percentiles. */
export function summarize(slices: LoadSlice[]): LoadResult {
  const sorted = Float64Array.from(slices.flatMap(s => s.latencies)).sort();
  const seconds = slices.reduce((t, s) => t + s.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const s of slices) {
    for (const [code, n] of Object.entries(s.statusCodes)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
    }
  }
  return {
    rps: round(sorted.length / (seconds || 1), 0),
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    ok: sorted.length,
    failed: slices.reduce((t, s) => t + s.failed, 0),
    statusCodes,
    seconds: round(seconds),
  };
}

/** The q-quantile of ascending `sorted` (nearest rank). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
