import {ChatError, ChatErrorCodes} from '../errors';
import {ChatLogger} from '../types';

/** `Retry-After` of a 503 `STORAGE_UNAVAILABLE`, in seconds. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Failures of the attachment storage other than missing bytes (S3
 * unreachable or refusing access, a full disk): each becomes a 503
 * `STORAGE_UNAVAILABLE` for the client, and the operator is told once per
 * outage, with an `error` line at its first failure and an `info` line at
 * the first storage call that succeeds after it.
 */
export class StorageOutage {
  private since?: number;
  private failures = 0;

  constructor(private readonly logger: ChatLogger) {}

  /** The client's error for `err`; logs the start of an outage. */
  failed(err: unknown): ChatError {
    this.failures++;
    if (this.since === undefined) {
      this.since = Date.now();
      this.failures = 1;
      this.logger.error(
        `The attachment storage failed (${reasonOf(err)}): uploads and ` +
          `downloads answer 503 ${ChatErrorCodes.STORAGE_UNAVAILABLE} ` +
          'until it answers again.',
      );
    }
    return new ChatError(
      'unavailable',
      ChatErrorCodes.STORAGE_UNAVAILABLE,
      'The attachment storage cannot be reached now; retry later.',
      undefined,
      STORAGE_RETRY_AFTER_SECONDS,
    );
  }

  /** Notes a storage call that succeeded: ends an outage. */
  succeeded(): void {
    if (this.since === undefined) return;
    const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
    this.logger.info(
      `The attachment storage answers again after ${seconds} s ` +
        `(${this.failures} failed call(s)).`,
    );
    this.since = undefined;
  }
}

/** `Name: message` of an error, as one line. */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const {name, message} = err;
  const text = message ? `${name}: ${message}` : name;
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
