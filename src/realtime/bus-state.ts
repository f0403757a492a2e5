import {ChatBusStatus, ChatLogger} from '../types';

/**
 * The up/down state of a bus connection, and the operator's view of it: one
 * `warn` line when it is lost (not one per reconnect attempt), one `info`
 * line when it is back, with how long it was down.
 */
export class BusState {
  private current: ChatBusStatus = {
    state: 'down',
    since: new Date(),
    attempts: 0,
  };
  private wasUp = false;

  constructor(
    private readonly logger: ChatLogger,
    private readonly name: string,
  ) {}

  /** The connection is established (again). */
  up(): void {
    const {state, since, attempts} = this.current;
    if (state === 'up') return;
    if (this.wasUp) {
      const seconds = ((Date.now() - since.getTime()) / 1000).toFixed(1);
      this.logger.info(
        `${this.name} is back after ${seconds} s down (${attempts} reconnect ` +
          'attempts); catching up from the event log',
      );
    }
    this.wasUp = true;
    this.current = {state: 'up', since: new Date(), attempts: 0};
  }

  /** The connection is lost; `err` says why. */
  lost(err?: unknown): void {
    const error = describe(err);
    if (this.current.state === 'up') {
      this.logger.warn(
        `${this.name} lost its connection (${error}); live events wait ` +
          'until it is back, reconnecting with backoff',
      );
      this.current = {state: 'down', since: new Date(), attempts: 0, error};
    } else {
      this.current = {...this.current, error};
    }
  }

  /** A reconnect attempt starts. */
  attempt(): void {
    this.current = {...this.current, attempts: this.current.attempts + 1};
  }

  status(): ChatBusStatus {
    return {...this.current};
  }
}

function describe(err: unknown): string {
  if (!err) return 'connection ended';
  const {code, message} = err as {code?: string; message?: string};
  const text = message ?? String(err);
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}
