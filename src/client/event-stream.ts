import {
  ChatApiError,
  isAbort,
  isCursorExpired,
  isRetryableStatus,
  retryAfterOf,
} from './errors.js';
import type {ChatEvent, ChatEventOf, ChatEventType} from './events.js';
import {HttpClient, sleep} from './http.js';
import {SseParser} from './sse.js';

/** Options of `ChatClient.events()`. */
export interface EventStreamOptions {
  /** Resume after this event id (a stored `lastEventId`); else: from now. */
  lastEventId?: string | number;
  /** Delay before reconnecting; default: the server's `retry:` (3 s). */
  reconnectDelayMs?: number;
  /** Longest delay while failures repeat (doubling each time); 30 s. */
  maxReconnectDelayMs?: number;
}

/** `connecting` → `open` → `reconnecting` → `open` … → `closed`. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

type Listener = (event: ChatEvent) => void;
type StateListener = (state: StreamState, error?: unknown) => void;

/**
 * `GET /events` read with `fetch` (so it sends the Authorization header, in
 * Node as in browsers). It reconnects by itself with `Last-Event-ID`, after
 * the server's `retry:` delay, backing off while connecting fails (and
 * never sooner than a refusal's `Retry-After`, such as 429
 * `TOO_MANY_STREAMS`); events are delivered once each, in log order. A 4xx
 * answer (an expired token, say) ends it: state `closed` with the
 * `ChatApiError`. When the resume point is older than the server keeps
 * (410 `CURSOR_EXPIRED`, see `isCursorExpired`), it ends the same way and
 * forgets `lastEventId`, so the expired id is never sent again: reload,
 * then open a new stream.
 */
export class ChatEventStream {
  state: StreamState = 'connecting';
  /** The id of the last logged event received: where a reconnect resumes. */
  lastEventId?: string;
  /** Connections opened so far (1 + reconnects). */
  connections = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly abort = new AbortController();
  private readonly parser = new SseParser();
  /**
   * The `Retry-After` of the last refusal (429 `TOO_MANY_STREAMS`, 503
   * `SHUTTING_DOWN` from an instance that stops, 503 `SERVICE_UNAVAILABLE`).
   */
  private retryAfterMs = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly options: EventStreamOptions = {},
  ) {
    if (options.lastEventId !== undefined) {
      this.lastEventId = String(options.lastEventId);
    }
    this.run().catch(err => this.setState('closed', err));
  }

  /** Listens to one type of event; answers a function that stops it. */
  on<T extends ChatEventType>(type: T, listener: (e: ChatEventOf<T>) => void) {
    return this.listen(type, listener as Listener);
  }

  /** Listens to every event. */
  onEvent(listener: (event: ChatEvent) => void) {
    return this.listen('*', listener);
  }

  /** Listens to state changes, with the error that caused a drop or end. */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Resolves once the stream is open (rejects if it ends first). */
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.state === 'open') return resolve();
      const stop = this.onState((state, error) => {
        if (state === 'open') resolve();
        else if (state !== 'closed') return;
        else reject(error ?? new Error('The event stream was closed.'));
        stop();
      });
    });
  }

  close(): void {
    if (this.state === 'closed') return;
    this.abort.abort();
    this.setState('closed');
  }

  private listen(type: string, listener: Listener): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    for (let failures = 0; ;) {
      try {
        await this.connectAndRead(signal);
        failures = 0;
        this.setState('reconnecting'); // the server ended the stream
      } catch (err) {
        if (signal.aborted || isAbort(err)) return;
        // what it missed is gone: resuming from any later id would skip it
        if (isCursorExpired(err)) this.lastEventId = undefined;
        if (err instanceof ChatApiError && !isRetryableStatus(err.status)) {
          return this.setState('closed', err);
        }
        failures++;
        this.setState('reconnecting', err);
      }
      await sleep(this.delay(failures), signal).catch(() => undefined);
      if (signal.aborted) return;
    }
  }

  private async connectAndRead(signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = {Accept: 'text/event-stream'};
    if (this.lastEventId !== undefined) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    const response = await this.http.once('GET', '/events', {headers, signal});
    this.retryAfterMs = retryAfterOf(response.headers.get('Retry-After')) ?? 0;
    if (!response.ok) throw await ChatApiError.from(response);
    if (!response.body) throw new Error('The event stream has no body.');
    this.connections++;
    this.setState('open');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    this.parser.reset(); // whatever the last connection left half-sent
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return;
      const text = decoder.decode(value as Uint8Array, {stream: true});
      for (const frame of this.parser.feed(text)) {
        this.deliver(frame.id, frame.event, frame.data);
      }
    }
  }

  private deliver(id: string | undefined, type: string, data: string): void {
    if (id !== undefined) {
      // at most once each: nothing at or before the resume point
      if (this.lastEventId !== undefined && isNotAfter(id, this.lastEventId)) {
        return;
      }
      this.lastEventId = id;
    }
    let event: ChatEvent;
    try {
      event = JSON.parse(data) as ChatEvent;
    } catch {
      return; // not one of this API's frames
    }
    for (const key of [type, '*']) {
      for (const listener of this.listeners.get(key) ?? []) {
        callSafely(() => listener(event));
      }
    }
  }

  private delay(failures: number): number {
    const base = this.options.reconnectDelayMs ?? this.parser.retryMs ?? 3000;
    const max = this.options.maxReconnectDelayMs ?? 30000;
    const backoff = Math.min(max, base * 2 ** Math.max(0, failures - 1));
    if (!failures) return base;
    // spread the reconnects of many clients after a server restart; never
    // sooner than the server asked (a refused stream says when to retry)
    return Math.max(backoff * (0.75 + Math.random() / 4), this.retryAfterMs);
  }

  private setState(state: StreamState, error?: unknown): void {
    if (this.state === 'closed') return;
    this.state = state;
    for (const listener of [...this.stateListeners]) {
      callSafely(() => listener(state, error));
    }
  }
}

/** Event ids are integers (sent as strings): compare them as numbers. */
function isNotAfter(id: string, last: string): boolean {
  const [a, b] = [Number(id), Number(last)];
  return Number.isFinite(a) && Number.isFinite(b) ? a <= b : id === last;
}

/** A listener's exception is reported (as an uncaught error), not fatal here. */
function callSafely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    setTimeout(() => {
      throw err;
    });
  }
}
