/** One dispatched Server-Sent Events frame. */
export interface SseFrame {
  /** The frame's own `id:` field, if it had one. */
  id?: string;
  /** `event:`, or `message` when absent. */
  event: string;
  /** The `data:` lines, joined by newlines. */
  data: string;
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML,
 * "Server-sent events"): feed it decoded text as it arrives, in chunks of
 * any size; it answers the frames completed so far.
 */
export class SseParser {
  /** The last `retry:` the server sent, in milliseconds. */
  retryMs?: number;
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id?: string;

  /** Forgets a partly received frame (a new connection starts afresh). */
  reset(): void {
    this.buffer = '';
    this.data = [];
    this.event = '';
    this.id = undefined;
  }

  feed(chunk: string): SseFrame[] {
    this.buffer += chunk;
    const frames: SseFrame[] = [];
    let start = 0;
    for (;;) {
      const end = this.lineEnd(start);
      if (end < 0) break;
      const line = this.buffer.slice(start, end);
      const crlf =
        this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1;
      start = end + crlf;
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    this.buffer = this.buffer.slice(start);
    return frames;
  }

  /** The end of the line at `start`, or -1 if it may not be complete yet. */
  private lineEnd(start: number): number {
    for (let i = start; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c === '\n') return i;
      if (c === '\r') {
        // a CR at the end of the buffer may be the first half of a CRLF
        return i + 1 < this.buffer.length ? i : -1;
      }
    }
    return -1;
  }

  private line(line: string): SseFrame | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // a comment (heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) {
      this.retryMs = Number(value);
    }
    return undefined;
  }

  private dispatch(): SseFrame | undefined {
    const {data, event, id} = this;
    this.data = [];
    this.event = '';
    this.id = undefined;
    if (data.length === 0) return undefined;
    const frame: SseFrame = {event: event || 'message', data: data.join('\n')};
    if (id !== undefined) frame.id = id;
    return frame;
  }
}
