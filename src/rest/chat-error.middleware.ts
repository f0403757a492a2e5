import {inject, injectable, Next, Provider} from '@loopback/core';
import {
  asMiddleware,
  HttpErrors,
  Middleware,
  MiddlewareContext,
  OperationObject,
  PathObject,
  ResolvedRoute,
  RestBindings,
  RestMiddlewareGroups,
  RestTags,
} from '@loopback/rest';
import {ChatError} from '../errors';
import {ChatServiceBindings} from '../keys';
import {consoleLogger} from '../providers';
import {ChatLogger, DEFAULT_CHAT_SERVICE_CONFIG} from '../types';
import {fromChatError, toChatHttpError, valueTooLong} from './chat-http-errors';
import {classifyDatabaseError, DatabaseFault} from './database-errors';
import {answerUnavailable, DatabaseOutage} from './database-outage';

export {codeForStatus, toChatHttpError} from './chat-http-errors';

/**
 * OpenAPI operation extension that marks a route as served by this
 * component: every chat controller operation carries `'x-chat-service': true`.
 */
export const CHAT_ROUTE_EXTENSION = 'x-chat-service';

/** Middleware group of `ChatErrorMiddlewareProvider`: right after `sendResponse`. */
export const CHAT_ERRORS_MIDDLEWARE_GROUP = 'chatErrors';

/** True when the matched route is an operation of this component. */
export function isChatRoute(route: ResolvedRoute | undefined): boolean {
  return route?.spec?.[CHAT_ROUTE_EXTENSION] === true;
}

/**
 * REST middleware that rewrites errors from everything downstream of it
 * (`findRoute`, `authentication`, `parseParams`, `invokeMethod`) with
 * `toChatHttpError` before `sendResponse` writes them, on the component's
 * routes and the paths under them only: an error of a host's route, or of a
 * path outside the component's, passes through untouched, as LoopBack
 * answers it.
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
      if (!(await isChatRequest(ctx))) throw err;
      if (err instanceof ChatError && err.kind === 'unavailable') {
        // a 503 of the component's own (SHUTTING_DOWN, STORAGE_UNAVAILABLE):
        // its code kept
        const seconds = err.retryAfterSeconds ?? 1;
        if (answerUnavailable(ctx.response, seconds, err.message, err.code)) {
          return ctx.response;
        }
      }
      if (err instanceof ChatError && err.retryAfterSeconds !== undefined) {
        ctx.response.setHeader('Retry-After', String(err.retryAfterSeconds));
      }
      const fault = databaseFaultOf(err);
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
      throw toChatHttpError(err, true);
    }
    if (this.outage.ongoing && ctx.response.statusCode < 500) {
      const route = ctx.getSync(RestBindings.Operation.ROUTE, {optional: true});
      if (isChatRoute(route)) this.outage.recovered();
    }
    return result;
  }
}

/**
 * True when the request is for one of the component's routes or, when it
 * found none of them (a 404, a path the router could not decode), for a
 * path under them (`isUnderChatRoute`).
 */
async function isChatRequest(ctx: MiddlewareContext): Promise<boolean> {
  const route = ctx.getSync(RestBindings.Operation.ROUTE, {optional: true});
  if (isChatRoute(route)) return true;
  const handler = await ctx.get(RestBindings.HANDLER, {optional: true});
  if (!handler) return false;
  return isUnderChatRoute(handler.describeApiPaths(), ctx.request.path);
}

/**
 * True when `path` lies under the component's routes: of all routes, the
 * one matching most of its leading segments (a `{variable}` matches any
 * segment, encoded or not) is the component's, and no host route matches
 * as many. `PUT /conversations/{id}` and `/conversations/{id}/nothing` are
 * the component's; `/host/nowhere` is not.
 */
function isUnderChatRoute(paths: PathObject, path: string): boolean {
  const segments = path.split('/').filter(Boolean);
  let longest = 0;
  let chat = false;
  for (const [template, item] of Object.entries(paths)) {
    const matched = leadingMatch(template.split('/').filter(Boolean), segments);
    if (matched === 0 || matched < longest) continue;
    const ours = Object.values(item as object).some(
      op =>
        (op as OperationObject | undefined)?.[CHAT_ROUTE_EXTENSION] === true,
    );
    chat = matched > longest ? ours : chat && ours;
    longest = matched;
  }
  return chat;
}

/** How many leading `segments` the route `template` matches. */
function leadingMatch(template: string[], segments: string[]): number {
  let n = 0;
  while (
    n < template.length &&
    n < segments.length &&
    (template[n] === segments[n] || /^\{[^}]+\}$/.test(template[n]))
  ) {
    n++;
  }
  return n;
}

/** The database fault behind `err`; none for errors the component made. */
function databaseFaultOf(err: unknown): DatabaseFault | undefined {
  if (err instanceof ChatError || err instanceof HttpErrors.HttpError) {
    return undefined;
  }
  return classifyDatabaseError(err);
}
