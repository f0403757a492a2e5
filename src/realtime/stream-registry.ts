import {EventStream} from './event-stream';

/** The open streams of this process, by tenant and user. */
export class StreamRegistry {
  private readonly byUser = new Map<string, Set<EventStream>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(stream: EventStream): void {
    const key = userKey(stream.user.tenantId, stream.user.id);
    let set = this.byUser.get(key);
    if (!set) this.byUser.set(key, (set = new Set()));
    set.add(stream);
    this.count++;
    stream.whenClosed(() => {
      if (set!.delete(stream)) this.count--;
      if (set!.size === 0) this.byUser.delete(key);
    });
  }

  /** Number of open streams of a user in this process. */
  countOf(tenantId: string, userId: string): number {
    return this.byUser.get(userKey(tenantId, userId))?.size ?? 0;
  }

  forUser(tenantId: string, userId: string, fn: (s: EventStream) => void) {
    const set = this.byUser.get(userKey(tenantId, userId));
    if (set) for (const stream of set) fn(stream);
  }

  /** Ids of the users of a tenant with a stream open here. */
  usersOf(tenantId: string): string[] {
    const prefix = userKey(tenantId, '');
    return [...this.byUser.keys()]
      .filter(key => key.startsWith(prefix))
      .map(key => key.slice(prefix.length));
  }

  /** Every open stream. */
  all(): EventStream[] {
    return [...this.byUser.values()].flatMap(set => [...set]);
  }

  heartbeat(): void {
    for (const set of this.byUser.values()) {
      for (const stream of set) stream.heartbeat();
    }
  }

  closeAll(): void {
    for (const set of [...this.byUser.values()]) {
      for (const stream of [...set]) stream.close();
    }
  }
}

function userKey(tenantId: string, userId: string): string {
  return `${tenantId.length}:${tenantId}:${userId}`;
}
