/** How a service error maps to HTTP; only the error middleware reads it. */
export type ChatErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unsupported-type'
  | 'range-not-satisfiable'
  | 'invalid'
  | 'gone'
  | 'too-many-requests'
  | 'unavailable';

/** Stable, machine-readable error codes of the component. */
export const ChatErrorCodes = {
  INVALID_TOKEN: 'INVALID_TOKEN',
  MISSING_TOKEN: 'MISSING_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  CONVERSATION_NOT_FOUND: 'CONVERSATION_NOT_FOUND',
  MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  NOT_ALLOWED: 'NOT_ALLOWED',
  EXTERNAL_ID_TAKEN: 'EXTERNAL_ID_TAKEN',
  MESSAGE_DELETED: 'MESSAGE_DELETED',
  LAST_OWNER: 'LAST_OWNER',
  DIRECT_CONVERSATION: 'DIRECT_CONVERSATION',
  INVALID_FIELD: 'INVALID_FIELD',
  MESSAGE_REJECTED: 'MESSAGE_REJECTED',
  BAD_REQUEST: 'BAD_REQUEST',
  ATTACHMENT_NOT_FOUND: 'ATTACHMENT_NOT_FOUND',
  ATTACHMENT_TOO_LARGE: 'ATTACHMENT_TOO_LARGE',
  UNSUPPORTED_ATTACHMENT_TYPE: 'UNSUPPORTED_ATTACHMENT_TYPE',
  RANGE_NOT_SATISFIABLE: 'RANGE_NOT_SATISFIABLE',
  TOO_MANY_STREAMS: 'TOO_MANY_STREAMS',
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  /** 400: a JSON body nested deeper than `limits.maxJsonDepth`. */
  JSON_TOO_DEEP: 'JSON_TOO_DEEP',
  /** 410: the attachment's bytes are gone from the storage. */
  ATTACHMENT_CONTENT_MISSING: 'ATTACHMENT_CONTENT_MISSING',
  /** 422: a value longer than the database column holds. */
  VALUE_TOO_LONG: 'VALUE_TOO_LONG',
  /** 503: the database cannot be reached; retry after `Retry-After`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** 503: the attachment storage failed (S3 unreachable, access denied). */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /**
   * 503: this instance is shutting down and takes no new event streams;
   * reconnect (to another instance) after `Retry-After`.
   */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
} as const;

export type ChatErrorCode =
  (typeof ChatErrorCodes)[keyof typeof ChatErrorCodes];

/**
 * An error thrown by services. It carries a stable `code` and, for invalid
 * input, the offending `field`; controllers never see raw database errors.
 */
export class ChatError extends Error {
  constructor(
    readonly kind: ChatErrorKind,
    readonly code: ChatErrorCode,
    message: string,
    readonly field?: string,
    /** When to try again, in seconds (`Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }

  static readonly codes = ChatErrorCodes;

  static notFound(code: ChatErrorCode, what: string): ChatError {
    return new ChatError('not-found', code, `${what} not found.`);
  }

  static forbidden(message: string): ChatError {
    return new ChatError('forbidden', ChatErrorCodes.NOT_ALLOWED, message);
  }

  static invalid(field: string, message: string): ChatError {
    return new ChatError(
      'invalid',
      ChatErrorCodes.INVALID_FIELD,
      `${field}: ${message}`,
      field,
    );
  }

  static conflict(code: ChatErrorCode, message: string): ChatError {
    return new ChatError('conflict', code, message);
  }

  /** 429: a per-user limit is reached; try again after `retryAfterSeconds`. */
  static tooMany(
    code: ChatErrorCode,
    message: string,
    retryAfterSeconds: number,
  ): ChatError {
    return new ChatError(
      'too-many-requests',
      code,
      message,
      undefined,
      retryAfterSeconds,
    );
  }

  /** 503: this instance cannot serve it now; try again after `retryAfterSeconds`. */
  static unavailable(
    code: ChatErrorCode,
    message: string,
    retryAfterSeconds: number,
  ): ChatError {
    return new ChatError(
      'unavailable',
      code,
      message,
      undefined,
      retryAfterSeconds,
    );
  }
}

/**
 * A configuration of the component that cannot work, thrown while the
 * application starts (never answered to a client): the message names the
 * field and what it needs; `field` holds its path (`realtime.redisUrl`).
 */
export class ChatConfigError extends Error {
  readonly code = 'CHAT_CONFIG_INVALID';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(`loopback4-chat-service: ${message}`);
    this.name = 'ChatConfigError';
  }
}
