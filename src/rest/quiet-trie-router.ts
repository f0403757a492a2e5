import {Node, RouteEntry, Trie, TrieRouter} from '@loopback/rest';
import {inspect} from 'util';

/**
 * LoopBack's `TrieRouter` with two changes:
 *
 * - Safe against hostile path segments. LoopBack's `Trie` keeps each node's
 *   children in a plain object, so a segment such as `__proto__`,
 *   `constructor` or `toString` finds an `Object.prototype` member instead
 *   of a route, and matching throws (a 500 for `GET
 *   /conversations/__proto__/members`). Here every child map is made
 *   prototype-free as routes are added: such a segment is an ordinary
 *   string that matches a path variable, or nothing. Matching itself is
 *   LoopBack's.
 * - Quiet: for every request to a path with variables LoopBack's router
 *   formats the matched route with `util.inspect` for a debug line, even
 *   when debug output is off, about a tenth of a millisecond of CPU per
 *   request. Here each route formats as its verb and path.
 *
 * The component binds it at `RestBindings.ROUTER` unless the host bound a
 * router of its own first.
 */
export class QuietTrieRouter extends TrieRouter {
  protected routesWithoutPathVars: {[key: string]: RouteEntry} =
    Object.create(null);

  protected addRouteWithPathVars(route: RouteEntry): void {
    const description = `${route.verb.toUpperCase()} ${route.path}`;
    // configurable: LoopBack registers the same route objects again when it
    // rebuilds its router (a controller added after start)
    Object.defineProperty(route, inspect.custom, {
      value: () => description,
      configurable: true,
    });
    super.addRouteWithPathVars(route);
    withoutPrototypes(this.routeTrie().root);
  }

  /** The trie `TrieRouter` keeps in its (TypeScript-)private `trie` field. */
  private routeTrie(): Trie<RouteEntry> {
    const trie = (this as unknown as {trie?: unknown}).trie;
    if (!(trie instanceof Trie)) {
      // a LoopBack upgrade renamed the field: fail at start, not per request
      throw new Error('QuietTrieRouter: TrieRouter has no `trie` field');
    }
    return trie;
  }
}

/** Makes the child map of `root` and of every node below it prototype-free. */
function withoutPrototypes(root: Node<RouteEntry>): void {
  const pending = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (Object.getPrototypeOf(node.children) !== null) {
      Object.setPrototypeOf(node.children, null);
    }
    pending.push(...Object.values(node.children));
  }
}
