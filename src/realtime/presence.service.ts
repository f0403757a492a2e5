import {
  BindingScope,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import {ChatServiceBindings} from '../keys';
import {ChatDb, presenceQueries} from '../repositories';
import {ChatEventBus, ChatUser} from '../types';

/** Online state of a user as members carry it. */
export interface Presence {
  online: boolean;
  lastSeenAt: Date | null;
}

const REFRESH_MS = 30_000;
/** Rows not refreshed for this long belong to an instance that is gone. */
const STALE_MS = 3 * REFRESH_MS;

/**
 * Online while a user has an event stream open on any instance; last seen
 * when the last one closes. Counts live in `chat_presence`, one row per user
 * and instance, so every instance sees the same state; `presence` events go
 * out when a user's first stream opens and their last one closes.
 */
@injectable({scope: BindingScope.SINGLETON})
export class PresenceService implements LifeCycleObserver {
  readonly instanceId = randomUUID();
  private readonly local = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      presenceQueries
        .touchInstance(this.db, this.instanceId, new Date())
        .catch(() => undefined);
    }, REFRESH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await presenceQueries
      .touchInstance(this.db, this.instanceId, new Date(), true)
      .catch(() => undefined);
  }

  /** A stream of `user` opened on this instance. */
  async connected(user: ChatUser): Promise<void> {
    await this.change(user, +1);
  }

  /** A stream of `user` closed on this instance. */
  async disconnected(user: ChatUser): Promise<void> {
    await this.change(user, -1);
  }

  /** Presence of several users of a tenant, in one query. */
  async of(
    tenantId: string,
    userIds: string[],
  ): Promise<Map<string, Presence>> {
    const rows = await presenceQueries.listPresence(
      this.db,
      tenantId,
      [...new Set(userIds)],
      new Date(Date.now() - STALE_MS),
    );
    const result = new Map<string, Presence>();
    for (const row of rows) {
      const online = Number(row.connections) > 0;
      result.set(row.user_id as string, {
        online,
        lastSeenAt: online ? null : new Date(row.last_seen_at as string),
      });
    }
    return result;
  }

  private async change(user: ChatUser, delta: number): Promise<void> {
    const key = `${user.tenantId.length}:${user.tenantId}:${user.id}`;
    const count = Math.max(0, (this.local.get(key) ?? 0) + delta);
    if (count === 0) this.local.delete(key);
    else this.local.set(key, count);
    // only the first open and the last close change anything visible
    if (!(delta > 0 && count === 1) && !(delta < 0 && count === 0)) return;
    const at = new Date();
    await presenceQueries.setConnections(
      this.db,
      user.tenantId,
      user.id,
      this.instanceId,
      count,
      at,
    );
    const [row] = await presenceQueries.listPresence(
      this.db,
      user.tenantId,
      [user.id],
      new Date(Date.now() - STALE_MS),
    );
    const total = Number(row?.connections ?? 0);
    // another instance had or still has streams of this user
    if (total !== (delta > 0 ? 1 : 0)) return;
    const online = delta > 0;
    await this.bus.publishEphemeral({
      type: 'presence',
      tenantId: user.tenantId,
      conversationId: null,
      userId: user.id,
      createdAt: at.toISOString(),
      online,
      lastSeenAt: online ? null : at.toISOString(),
    });
  }
}
