// How an error becomes the HTTP answer of a chat route: `ChatError` kinds to
// statuses, LoopBack's validation errors reworded, a `code` on every 4xx.
// Only the error middleware (chat-error.middleware.ts) applies it.
import {HttpErrors} from '@loopback/rest';
import {STATUS_CODES} from 'node:http';
import {ChatError, ChatErrorCodes, ChatErrorKind} from '../errors';
import {fieldOfColumn} from './database-errors';
import {clearDetails, ErrorDetail} from './validation-details';

const STATUS_BY_KIND: Record<ChatErrorKind, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-type': 415,
  'range-not-satisfiable': 416,
  gone: 410,
  invalid: 422,
  'too-many-requests': 429,
  unavailable: 503,
};

const PARAMETER_CODES = [
  'INVALID_PARAMETER_VALUE',
  'MISSING_REQUIRED_PARAMETER',
];
const MAX_DETAILS_IN_MESSAGE = 5;

interface ErrorLike {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
  details?: ErrorDetail[];
  parameterName?: string;
}

/**
 * Maps an error to the HTTP error the client receives. `ChatError`s map by
 * kind everywhere; LoopBack's validation and parameter errors are reworded
 * (parameters: 400 to 422) only on chat routes; a 4xx without a `code` gets
 * one from its status. 5xx errors and non-errors are returned unchanged.
 */
export function toChatHttpError(err: unknown, chatRoute: boolean): unknown {
  if (err instanceof ChatError) return fromChatError(err);
  // the router's decodeURIComponent of a path like `/conversations/%ZZ`
  if (err instanceof URIError) {
    return HttpErrors(400, 'Malformed percent-encoding in the request path.', {
      code: 'BAD_REQUEST',
    });
  }
  if (err == null || typeof err !== 'object') return err;
  const e = err as ErrorLike;
  const status = e.statusCode ?? e.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return err;
  if (chatRoute && e.code === 'VALIDATION_FAILED') return invalidBody(e);
  if (chatRoute && PARAMETER_CODES.includes(e.code ?? '')) {
    return invalidParameter(e);
  }
  if (!e.code) e.code = codeForStatus(status);
  return err;
}

/** 422 `VALUE_TOO_LONG` for a value its column cannot hold. */
export function valueTooLong(column: string | undefined): ChatError {
  const field = column === undefined ? undefined : fieldOfColumn(column);
  return new ChatError(
    'invalid',
    ChatErrorCodes.VALUE_TOO_LONG,
    `${field ?? 'A value'}: too long to store`,
    field,
  );
}

/** The HTTP error of a `ChatError`, by its kind. */
export function fromChatError(err: ChatError): HttpErrors.HttpError {
  const props: {code: string; details?: object[]} = {code: err.code};
  if (err.kind === 'invalid' && err.field !== undefined) {
    props.details = [{path: err.field, code: err.code, message: err.message}];
  }
  return HttpErrors(STATUS_BY_KIND[err.kind], err.message, props);
}

function invalidBody(e: ErrorLike): HttpErrors.HttpError {
  const details = clearDetails(e.details ?? []);
  const summary = summarise(details, 'body');
  const message = summary
    ? `Invalid request body: ${summary}`
    : 'Invalid request body.';
  return HttpErrors(422, message, {code: e.code, details});
}

function invalidParameter(e: ErrorLike): HttpErrors.HttpError {
  const name = e.parameterName ?? 'unknown';
  let message: string;
  if (e.code === 'MISSING_REQUIRED_PARAMETER') {
    message =
      name === 'request body'
        ? 'Request body is required.'
        : `Missing required parameter "${name}".`;
  } else {
    const summary = summarise(e.details ?? [], '');
    const base = (e.message ?? `Invalid value for parameter "${name}"`).replace(
      /\.$/,
      '',
    );
    message = summary ? `${base}: ${summary}` : `${base}.`;
  }
  return HttpErrors(422, message, {code: e.code, details: e.details});
}

/** "/seq must be integer; unknown property 'foo'" (at most a few entries). */
function summarise(details: ErrorDetail[], rootLabel: string): string {
  const parts = [...new Set(details.map(d => describe(d, rootLabel)))];
  const shown = parts.slice(0, MAX_DETAILS_IN_MESSAGE).join('; ');
  const more = parts.length - MAX_DETAILS_IN_MESSAGE;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}

function describe(detail: ErrorDetail, rootLabel: string): string {
  const path = detail.path ?? '';
  const at = path ? `${path}: ` : '';
  const {additionalProperty, missingProperty} = detail.info ?? {};
  if (additionalProperty !== undefined) {
    return `${at}unknown property '${additionalProperty}'`;
  }
  if (missingProperty !== undefined) {
    return `${at}missing required property '${missingProperty}'`;
  }
  const message = detail.message ?? 'is invalid';
  return [path || rootLabel, message].filter(Boolean).join(' ');
}

/** 413 → `PAYLOAD_TOO_LARGE`, 415 → `UNSUPPORTED_MEDIA_TYPE`, … */
export function codeForStatus(status: number): string {
  const text = STATUS_CODES[status] ?? 'Client Error';
  return text
    .replace(/'/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
