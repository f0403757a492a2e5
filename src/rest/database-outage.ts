import {Response} from '@loopback/rest';
import {ChatErrorCodes} from '../errors';
import {ChatLogger} from '../types';

/**
 * Answers requests while the database cannot be reached, and tells the
 * operator once per outage: a `warn` line at its first failed request, an
 * `info` line at the first request that succeeds after it.
 */
export class DatabaseOutage {
  private since?: number;
  private refused = 0;

  constructor(
    private readonly logger: ChatLogger,
    private readonly retryAfterSeconds: number,
  ) {}

  /** True between a failed request and the next one that succeeds. */
  get ongoing(): boolean {
    return this.since !== undefined;
  }

  /**
   * Writes `503 SERVICE_UNAVAILABLE` with `Retry-After` in LoopBack's error
   * shape; false when the response has started already (a stream).
   */
  answer(response: Response, reason: string): boolean {
    if (this.since === undefined) {
      this.since = Date.now();
      this.refused = 0;
      this.logger.warn(
        `The database cannot be reached (${reason}): answering 503 ` +
          `${ChatErrorCodes.SERVICE_UNAVAILABLE} until it answers again.`,
      );
    }
    this.refused++;
    return answerUnavailable(
      response,
      this.retryAfterSeconds,
      'The database cannot be reached now; retry later.',
    );
  }

  /** Notes a request that succeeded: ends an outage. */
  recovered(): void {
    if (this.since === undefined) return;
    const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
    this.logger.info(
      `The database answers again after ${seconds} s ` +
        `(${this.refused} request(s) answered 503).`,
    );
    this.since = undefined;
  }
}

/**
 * Writes `503` with `Retry-After` and `code` (default `SERVICE_UNAVAILABLE`)
 * in LoopBack's error shape (LoopBack's own error writer leaves `code` out
 * of 5xx answers); false when the response has started already (a stream).
 */
export function answerUnavailable(
  response: Response,
  retryAfterSeconds: number,
  message: string,
  code: string = ChatErrorCodes.SERVICE_UNAVAILABLE,
): boolean {
  if (response.headersSent) return false;
  const statusCode = 503;
  response
    .status(statusCode)
    .set('Retry-After', String(retryAfterSeconds))
    .set('X-Content-Type-Options', 'nosniff')
    .json({
      error: {
        statusCode,
        name: 'ServiceUnavailableError',
        message,
        code,
      },
    });
  return true;
}
