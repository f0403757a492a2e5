import {
  ChatApiError,
  ChatNetworkError,
  isAbort,
  isRetryable,
} from './errors.js';

/** Methods a retry cannot make do something twice. */
const SAFE_TO_REPEAT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** The platform's `fetch`, or a wrapper of it (tests, logging, proxies). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A bearer token, or a function answering the current one. */
export type TokenSource = string | (() => string | Promise<string>);

/**
 * Retries of requests that are safe to repeat (network failures,
 * 408/429/502/503/504): GET, HEAD, PUT and DELETE, and the requests the
 * client marks idempotent (a send, which always carries a
 * `clientMessageId`; mark-read). A `Retry-After` of the answer is honoured,
 * up to `maxDelayMs`.
 */
export interface RetryOptions {
  /** Tries in all, the first included (default 3; 1: never retry). */
  attempts?: number;
  /** Delay before the first retry, doubled for each further one (200). */
  delayMs?: number;
  /** Longest delay between two tries (5000). */
  maxDelayMs?: number;
}

export interface HttpOptions {
  /** `http://host:port` (required in Node); '' in a page: same origin. */
  baseUrl?: string;
  token: TokenSource;
  fetch?: FetchLike;
  retry?: RetryOptions;
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (`FormData` for uploads). */
  body?: FormData;
  headers?: Record<string, string>;
  /**
   * Retry on a network failure or a retryable status: by default for GET,
   * HEAD, PUT and DELETE, which are safe to repeat.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

/** Sends requests with the bearer token, maps errors, retries. */
export class HttpClient {
  readonly baseUrl: string;
  private readonly fetch: FetchLike;
  private readonly retry: Required<RetryOptions>;

  constructor(private readonly options: HttpOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // looked up on each call: a detached `fetch` is an illegal invocation
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.retry = {
      attempts: 3,
      delayMs: 200,
      maxDelayMs: 5000,
      ...options.retry,
    };
  }

  /** The JSON answer of a request, or undefined for 204. */
  async json<T>(method: string, path: string, opts: RequestOptions = {}) {
    const response = await this.send(method, path, opts);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** A successful response; an error status throws `ChatApiError`. */
  async send(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<Response> {
    const repeatable = opts.idempotent ?? SAFE_TO_REPEAT.has(method);
    const tries = repeatable ? Math.max(1, this.retry.attempts) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.once(method, path, opts);
        if (!response.ok) throw await ChatApiError.from(response);
        return response;
      } catch (err) {
        if (attempt >= tries || !isRetryable(err)) throw err;
        const asked =
          err instanceof ChatApiError ? err.retryAfterMs : undefined;
        const delay = asked ?? this.retry.delayMs * 2 ** (attempt - 1);
        await sleep(Math.min(delay, this.retry.maxDelayMs), opts.signal);
      }
    }
  }

  /** One request, whatever its status; network failures as ChatNetworkError. */
  async once(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token()}`,
      ...opts.headers,
    };
    let body: string | FormData | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const url = this.baseUrl + path + queryString(opts.query);
    try {
      return await this.fetch(url, {
        method,
        headers,
        body,
        signal: opts.signal,
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ChatNetworkError(
        `${method} ${path} failed: ${describe(err)}`,
        err,
      );
    }
  }

  private async token(): Promise<string> {
    const {token} = this.options;
    return typeof token === 'function' ? token() : token;
  }
}

/** `?a=1&b=2` of the defined values, or ''. */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment: `/conversations/${seg(id)}`. */
export const seg = (value: string) => encodeURIComponent(value);

/** Waits `ms`; rejects at once with an AbortError when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abortError = () => {
      const err = new Error('The operation was aborted.');
      err.name = 'AbortError';
      return err;
    };
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}

function describe(err: unknown): string {
  const cause = (err as {cause?: {message?: string}})?.cause?.message;
  const message = err instanceof Error ? err.message : String(err);
  return cause ? `${message} (${cause})` : message;
}
