import {RouteEntry, TrieRouter} from '@loopback/rest';
import {inspect} from 'util';

/**
 * LoopBack's default `TrieRouter`, less one cost: for every request to a
 * path with variables (`/conversations/{id}/messages`) that router formats
 * the matched route with `util.inspect` for a debug line, even when debug
 * output is off, about a tenth of a millisecond of CPU per request. Here
 * each route formats as its verb and path. A host opts in with
 * `app.bind(RestBindings.ROUTER).toClass(QuietTrieRouter)`.
 */
export class QuietTrieRouter extends TrieRouter {
  protected addRouteWithPathVars(route: RouteEntry): void {
    const description = `${route.verb.toUpperCase()} ${route.path}`;
    // configurable: LoopBack registers the same route objects again when it
    // rebuilds its router (a controller added after start)
    Object.defineProperty(route, inspect.custom, {
      value: () => description,
      configurable: true,
    });
    super.addRouteWithPathVars(route);
  }
}
