import {Response} from '@loopback/rest';
import {ChatUser} from '../types';
import {ChatEventView} from './event-view';

/**
 * One open Server-Sent Events response. While it replays missed events
 * from the log, live events wait in `pending`; then they are written in
 * order, each at most once. A client too slow to take what it is sent is
 * disconnected rather than buffered without bound: it resumes with
 * `Last-Event-ID`.
 */
export class EventStream {
  /** The id of the last logged event written. */
  cursor: number;
  replaying = true;
  closed = false;
  private pending: ChatEventView[] = [];
  private unflushed = 0;
  private onClose: Array<() => void> = [];

  constructor(
    readonly user: ChatUser,
    private readonly response: Response,
    private readonly maxQueued: number,
    cursor: number,
  ) {
    this.cursor = cursor;
    response.on('close', () => this.close());
    response.on('drain', () => (this.unflushed = 0));
  }

  /** Writes the stream's headers and the client's reconnection delay. */
  open(): void {
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
      if (this.pending.length > this.maxQueued) this.close();
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.response.end();
    for (const listener of this.onClose.splice(0)) listener();
  }

  private writeEvent(event: ChatEventView): void {
    this.cursor = event.id!;
    this.write(frame(event));
  }

  private write(chunk: string): void {
    if (this.closed) return;
    if (!this.response.write(chunk) && ++this.unflushed > this.maxQueued) {
      this.close();
    }
  }
}

/** One SSE frame: `id:` (logged events only), `event:` and `data:`. */
export function frame(event: ChatEventView): string {
  const id = event.id === null ? '' : `id: ${event.id}\n`;
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
