import {Response} from '@loopback/rest';
import {ChatLogger, ChatUser} from '../types';
import {ChatEventView} from './event-view';

/** How much one stream may hold for its client. */
export interface EventStreamLimits {
  /** Live events held while the stream replays. */
  maxQueuedEvents: number;
  /** Bytes written but not yet taken by the client. */
  maxBufferedBytes: number;
}

/**
 * One open Server-Sent Events response. While it replays missed events
 * from the log, live events wait in `pending`; then they are written in
 * order, each at most once. A client too slow to take what it is sent is
 * disconnected rather than buffered without bound (once its unsent bytes
 * pass `maxBufferedBytes`, so they never exceed it by more than one frame):
 * it resumes with `Last-Event-ID`.
 */
export class EventStream {
  /** The id of the last logged event written. */
  cursor: number;
  replaying = true;
  closed = false;
  /** The most bytes this stream has had waiting for its client. */
  bufferedPeak = 0;
  /** The response is over: taken by the client, or its connection gone. */
  responseOver = false;
  /** Closed by a shutdown before it opened: the request answers 503. */
  refusedForShutdown = false;
  private pending: ChatEventView[] = [];
  private onClose: Array<() => void> = [];
  /** Settles once the response is over: taken by the client, or cut. */
  private readonly responseClosed: Promise<void>;

  constructor(
    readonly user: ChatUser,
    private readonly response: Response,
    private readonly limits: EventStreamLimits,
    cursor: number,
    private readonly logger?: ChatLogger,
  ) {
    this.cursor = cursor;
    this.responseClosed = new Promise(resolve => {
      response.on('close', () => {
        this.responseOver = true;
        this.close();
        resolve();
      });
    });
  }

  /** Writes the stream's headers and the client's reconnection delay. */
  open(): void {
    if (this.closed) return; // ended for a shutdown while it was starting
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    this.write('retry: 3000\n\n');
  }

  whenClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.onClose.push(listener);
  }

  /** A logged event: written now, or after the replay. */
  deliver(event: ChatEventView): void {
    if (this.closed || event.id === null || event.id <= this.cursor) return;
    if (this.replaying) {
      this.pending.push(event);
      if (this.pending.length > this.limits.maxQueuedEvents) this.close();
      return;
    }
    this.writeEvent(event);
  }

  /** A replayed event from the log. */
  replay(event: ChatEventView): void {
    if (!this.closed && event.id !== null && event.id > this.cursor) {
      this.writeEvent(event);
    }
  }

  /** Ends the replay: writes what arrived live meanwhile, in log order. */
  endReplay(): void {
    const pending = this.pending.sort((a, b) => a.id! - b.id!);
    this.pending = [];
    this.replaying = false;
    for (const event of pending) this.deliver(event);
  }

  /** An ephemeral event (typing, presence): no id, never replayed. */
  deliverEphemeral(event: ChatEventView): void {
    if (this.closed || this.replaying) return;
    this.write(frame(event));
  }

  /** A comment line for idle proxies; none before the stream is open. */
  heartbeat(): void {
    if (!this.closed && this.response.headersSent) {
      this.write(': keep-alive\n\n');
    }
  }

  /**
   * Ends the stream. `abort` drops what the client has not taken yet (the
   * connection is destroyed, freeing its buffers) instead of flushing it.
   */
  close(abort = false): void {
    this.finish(() => {
      if (abort) this.response.destroy();
      else this.response.end();
    });
  }

  /**
   * Ends the stream because this instance is shutting down: a `retry:`
   * line (the client's delay before it reconnects, with `Last-Event-ID`,
   * to another instance) and a comment, then the end of the response, so
   * the client sees a clean end, not a reset. A stream not open yet is
   * left unanswered (`refusedForShutdown`) for its request to answer 503.
   * Resolves once the response is over, or at once when the stream was
   * closed already.
   */
  closeForShutdown(retryMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.response.headersSent) {
      this.refusedForShutdown = true;
      this.discard();
      return Promise.resolve();
    }
    this.write(
      `retry: ${Math.round(retryMs)}\n` +
        ': this server is shutting down; reconnect with Last-Event-ID\n\n',
    );
    this.close();
    return this.responseClosed;
  }

  /** Cuts the connection of a stream whose client did not take its end. */
  cutOff(): void {
    this.response.destroy();
  }

  /**
   * Closes a stream that never opened without touching its response, so
   * the request can answer an error instead (the database is down, say).
   */
  discard(): void {
    this.finish(() => undefined);
  }

  private finish(release: () => void): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    release();
    for (const listener of this.onClose.splice(0)) listener();
  }

  private writeEvent(event: ChatEventView): void {
    this.cursor = event.id!;
    this.write(frame(event));
  }

  private write(chunk: string): void {
    if (this.closed) return;
    this.response.write(chunk);
    // what Node holds for this connection: not yet taken by the kernel
    const buffered = this.response.writableLength ?? 0;
    if (buffered > this.bufferedPeak) this.bufferedPeak = buffered;
    if (buffered > this.limits.maxBufferedBytes) this.cutSlowClient(buffered);
  }

  private cutSlowClient(buffered: number): void {
    // logged once: the stream is closed from here on
    this.logger?.warn(
      `closed the event stream of user ${JSON.stringify(this.user.id)}: ` +
        `${buffered} bytes not taken by the client ` +
        `(realtime.maxBufferedBytes ${this.limits.maxBufferedBytes}); ` +
        'it resumes with Last-Event-ID',
    );
    this.close(true);
  }
}

/** One SSE frame: `id:` (logged events only), `event:` and `data:`. */
export function frame(event: ChatEventView): string {
  const id = event.id === null ? '' : `id: ${event.id}\n`;
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
