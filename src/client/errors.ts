/** The stable `code`s the server answers (README, "Errors"). */
export type ChatErrorCode =
  | 'BAD_REQUEST'
  | 'MISSING_TOKEN'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'NOT_ALLOWED'
  | 'CONVERSATION_NOT_FOUND'
  | 'MEMBER_NOT_FOUND'
  | 'MESSAGE_NOT_FOUND'
  | 'ATTACHMENT_NOT_FOUND'
  | 'EXTERNAL_ID_TAKEN'
  | 'MESSAGE_DELETED'
  | 'LAST_OWNER'
  | 'PAYLOAD_TOO_LARGE'
  | 'ATTACHMENT_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNSUPPORTED_ATTACHMENT_TYPE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'VALIDATION_FAILED'
  | 'INVALID_PARAMETER_VALUE'
  | 'INVALID_FIELD'
  | 'DIRECT_CONVERSATION'
  | 'MESSAGE_REJECTED'
  | 'TOO_MANY_STREAMS'
  | 'CURSOR_EXPIRED'
  | 'JSON_TOO_DEEP'
  | 'VALUE_TOO_LONG'
  | 'ATTACHMENT_CONTENT_MISSING'
  | 'SERVICE_UNAVAILABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'SHUTTING_DOWN'
  // a host's own codes, or `HTTP_<status>` when a body has none
  | (string & {});

/** LoopBack's error body: `{"error": {statusCode, name, message, code}}`. */
export interface ChatErrorBody {
  statusCode: number;
  name: string;
  message: string;
  code: ChatErrorCode;
  /** 422: what failed, per field. */
  details?: unknown[];
}

/** The server answered an error status; `code` is its stable error code. */
export class ChatApiError extends Error {
  readonly name = 'ChatApiError';

  constructor(
    /** The HTTP status. */
    readonly status: number,
    readonly code: ChatErrorCode,
    message: string,
    /** 422: the validation details. */
    readonly details?: unknown[],
    /** 503 and 429: how long the server asked to wait (`Retry-After`), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Builds the error from an error response, reading its body. */
  static async from(response: Response): Promise<ChatApiError> {
    let error: Partial<ChatErrorBody> = {};
    try {
      const body = (await response.json()) as {error?: Partial<ChatErrorBody>};
      error = body?.error ?? {};
    } catch {
      // not JSON (a proxy's page, say): the status is all there is
    }
    const status = response.status;
    return new ChatApiError(
      status,
      error.code ?? `HTTP_${status}`,
      error.message ?? `HTTP ${status} ${response.statusText}`.trim(),
      error.details,
      retryAfterOf(response.headers.get('Retry-After')),
    );
  }
}

/** No answer: the request failed at the network level (or timed out). */
export class ChatNetworkError extends Error {
  readonly name = 'ChatNetworkError';

  constructor(
    message: string,
    /** What `fetch` threw. */
    readonly cause?: unknown,
  ) {
    super(message);
  }
}

/**
 * A `Retry-After` header (seconds, or an HTTP date) in milliseconds from
 * now; undefined when absent or unreadable.
 */
export function retryAfterOf(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Statuses worth retrying an idempotent request on. */
export function isRetryableStatus(status: number): boolean {
  return [408, 429, 502, 503, 504].includes(status);
}

/** True for what a request may be retried after. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ChatNetworkError) return true;
  return err instanceof ChatApiError && isRetryableStatus(err.status);
}

/**
 * True for the 410 `CURSOR_EXPIRED` of `sync({since})` or of an event
 * stream resuming from a `lastEventId`: events after that cursor were
 * pruned from the server's log. Reload what the app shows (conversations,
 * unread counts, the open history), then continue without the old cursor:
 * `sync()` without `since`, or a new `events()` stream.
 */
export function isCursorExpired(err: unknown): err is ChatApiError {
  return (
    err instanceof ChatApiError &&
    err.status === 410 &&
    err.code === 'CURSOR_EXPIRED'
  );
}

/** True when `err` is an abort (of the caller's signal, or of `close()`). */
export function isAbort(err: unknown): boolean {
  return (err as {name?: string} | null)?.name === 'AbortError';
}
