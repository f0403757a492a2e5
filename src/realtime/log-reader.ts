import {ChatLogger} from '../types';
import {backoffDelay} from './backoff';

/**
 * Runs the hub's reads of the event log. When one fails (the database is
 * unreachable), it logs that once and calls `retry` with backoff until a
 * read succeeds, which it logs once too: delivery never waits for news
 * that may not come.
 */
export class LogReader {
  private failures = 0;
  private failingSince = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly logger: ChatLogger,
    private readonly retry: () => void,
  ) {}

  /** True while a retry is scheduled. */
  get retrying(): boolean {
    return this.timer !== undefined;
  }

  /** Runs `read`; never rejects. */
  async run(read: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await read();
    } catch (err) {
      this.failed(err);
      return;
    }
    this.succeeded();
  }

  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    if (this.failures++ === 0) {
      this.failingSince = Date.now();
      const reason = (err as Error | undefined)?.message ?? String(err);
      this.logger.warn(
        `The event hub cannot read the event log (${reason}); live events ` +
          'wait, retrying with backoff',
      );
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retry();
    }, backoffDelay(this.failures));
    this.timer.unref();
  }

  private succeeded(): void {
    if (this.failures === 0) return;
    const seconds = ((Date.now() - this.failingSince) / 1000).toFixed(1);
    this.logger.info(
      `The event hub reads the event log again after ${seconds} s ` +
        `(${this.failures} failed reads); live events resume`,
    );
    this.failures = 0;
  }
}
