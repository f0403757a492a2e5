/** First delay of a retry series, in ms. */
export const BACKOFF_FIRST_MS = 100;
/** Longest delay between two retries, in ms. */
export const BACKOFF_MAX_MS = 5000;

/**
 * The delay before retry number `attempt` (1 for the first): doubling from
 * `BACKOFF_FIRST_MS`, capped at `BACKOFF_MAX_MS`, each with jitter (between
 * half of it and all of it), so instances that lost the database together
 * do not all come back at the same moment.
 */
export function backoffDelay(attempt: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 16);
  const full = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** exponent);
  return Math.round(full / 2 + (Math.random() * full) / 2);
}
