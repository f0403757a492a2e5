import {inject, injectable, Next, Provider} from '@loopback/core';
import {
  asMiddleware,
  HttpErrors,
  Middleware,
  MiddlewareContext,
  ResolvedRoute,
  RestBindings,
  RestMiddlewareGroups,
  RestTags,
} from '@loopback/rest';
import {STATUS_CODES} from 'node:http';
import {ChatError, ChatErrorCodes, ChatErrorKind} from '../errors';
import {ChatServiceBindings} from '../keys';
import {ChatLogger, DEFAULT_CHAT_SERVICE_CONFIG} from '../types';
import {consoleLogger} from './console-logger.provider';
import {
  classifyDatabaseError,
  DatabaseFault,
  fieldOfColumn,
} from './database-errors';
import {answerUnavailable, DatabaseOutage} from './database-outage';

/**
 * OpenAPI operation extension that marks a route as served by this
 * component: every chat controller operation carries `'x-chat-service': true`.
 */
export const CHAT_ROUTE_EXTENSION = 'x-chat-service';

/** Middleware group of `ChatErrorMiddlewareProvider`: right after `sendResponse`. */
export const CHAT_ERRORS_MIDDLEWARE_GROUP = 'chatErrors';

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
};

const PARAMETER_CODES = [
  'INVALID_PARAMETER_VALUE',
  'MISSING_REQUIRED_PARAMETER',
];
const MAX_DETAILS_IN_MESSAGE = 5;

/** One entry of LoopBack's `details` (AJV errors). */
interface ErrorDetail {
  path?: string;
  message?: string;
  info?: {additionalProperty?: string; missingProperty?: string};
}

interface ErrorLike {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
  details?: ErrorDetail[];
  parameterName?: string;
}

/** True when the matched route is an operation of this component. */
export function isChatRoute(route: ResolvedRoute | undefined): boolean {
  return route?.spec?.[CHAT_ROUTE_EXTENSION] === true;
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

/**
 * REST middleware that rewrites errors from everything downstream of it
 * (`findRoute`, `authentication`, `parseParams`, `invokeMethod`) with
 * `toChatHttpError` before `sendResponse` writes them.
 */
@injectable(
  asMiddleware({
    group: CHAT_ERRORS_MIDDLEWARE_GROUP,
    upstreamGroups: RestMiddlewareGroups.SEND_RESPONSE,
    downstreamGroups: RestMiddlewareGroups.CORS,
    chain: RestTags.REST_MIDDLEWARE_CHAIN,
  }),
)
export class ChatErrorMiddlewareProvider implements Provider<Middleware> {
  private readonly outage: DatabaseOutage;

  constructor(
    @inject(ChatServiceBindings.LOGGER, {optional: true})
    logger: ChatLogger = consoleLogger(),
    @inject(ChatServiceBindings.RESOLVED_CONFIG, {optional: true})
    config = DEFAULT_CHAT_SERVICE_CONFIG,
  ) {
    this.outage = new DatabaseOutage(logger, config.database.retryAfterSeconds);
  }

  value(): Middleware {
    return (ctx, next) => this.handle(ctx, next);
  }

  /**
   * Runs the rest of the chain and maps what it throws. On the component's
   * routes a database that cannot be reached answers 503 with
   * `Retry-After`, and a value too long for its column 422.
   */
  async handle(ctx: MiddlewareContext, next: Next): Promise<unknown> {
    let result: unknown;
    try {
      result = await next();
    } catch (err) {
      const route = ctx.getSync(RestBindings.Operation.ROUTE, {optional: true});
      if (err instanceof ChatError && err.retryAfterSeconds !== undefined) {
        ctx.response.setHeader('Retry-After', String(err.retryAfterSeconds));
      }
      const chatRoute = isChatRoute(route);
      const fault = chatRoute ? databaseFaultOf(err) : undefined;
      if (fault?.kind === 'unavailable') {
        if (this.outage.answer(ctx.response, fault.reason)) return ctx.response;
      } else if (fault?.kind === 'busy') {
        // contention, not an outage: nothing to log; retry at once
        const message =
          'The database gave up on this request under contention ' +
          `(${fault.reason}); nothing was written, retry.`;
        if (answerUnavailable(ctx.response, 1, message)) return ctx.response;
      } else if (fault?.kind === 'value-too-long') {
        throw fromChatError(valueTooLong(fault.column));
      }
      throw toChatHttpError(err, chatRoute);
    }
    if (this.outage.ongoing && ctx.response.statusCode < 500) {
      const route = ctx.getSync(RestBindings.Operation.ROUTE, {optional: true});
      if (isChatRoute(route)) this.outage.recovered();
    }
    return result;
  }
}

/** The database fault behind `err`; none for errors the component made. */
function databaseFaultOf(err: unknown): DatabaseFault | undefined {
  if (err instanceof ChatError || err instanceof HttpErrors.HttpError) {
    return undefined;
  }
  return classifyDatabaseError(err);
}

function valueTooLong(column: string | undefined): ChatError {
  const field = column === undefined ? undefined : fieldOfColumn(column);
  return new ChatError(
    'invalid',
    ChatErrorCodes.VALUE_TOO_LONG,
    `${field ?? 'A value'}: too long to store`,
    field,
  );
}

function fromChatError(err: ChatError): HttpErrors.HttpError {
  const props: {code: string; details?: object[]} = {code: err.code};
  if (err.kind === 'invalid' && err.field !== undefined) {
    props.details = [{path: err.field, code: err.code, message: err.message}];
  }
  return HttpErrors(STATUS_BY_KIND[err.kind], err.message, props);
}

function invalidBody(e: ErrorLike): HttpErrors.HttpError {
  const details = e.details ?? [];
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
