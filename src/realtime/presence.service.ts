import {
  BindingScope,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import {ChatServiceBindings} from '../keys';
import {ChatDb, presenceQueries} from '../repositories';
import {ChatEventBus, ChatLogger, ChatUser} from '../types';
import type {ChatShutdownService} from './shutdown.service';
import {
  PRESENCE_REFRESH_MS,
  PRESENCE_STALE_MS,
  PresenceStore,
} from './presence-store';

/** Online state of a user as members carry it. */
export interface Presence {
  online: boolean;
  lastSeenAt: Date | null;
}

/** Tries of one write before it is left to the next refresh. */
const WRITE_ATTEMPTS = 3;

/** What this instance knows of one user: its open streams, its sync. */
interface LocalUser {
  user: ChatUser;
  open: number;
  /** A change not yet written. */
  dirty: boolean;
  writing?: Promise<void>;
}

/**
 * Online while a user has an event stream open on any instance; last seen
 * when the last one closes. Each instance keeps the exact count of its own
 * streams per user in memory and writes it to `chat_presence` (one row per
 * user and instance, only while non-zero), one write at a time per user and
 * under the user's row lock in `chat_last_seen`, so the stored counts always
 * catch up with the open streams and every instance sees each change in
 * order. `presence` events go out when the user's total over all live
 * instances goes from 0 to more, or back to 0. Every refresh period an
 * instance marks its rows alive, rewrites any that differ from its counts,
 * and sweeps rows of instances that stopped refreshing (they died).
 */
@injectable({scope: BindingScope.SINGLETON})
export class PresenceService implements LifeCycleObserver {
  readonly instanceId = randomUUID();
  private readonly local = new Map<string, LocalUser>();
  private readonly store: PresenceStore;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
    @inject(ChatServiceBindings.LOGGER) logger: ChatLogger,
    @inject(ChatServiceBindings.SHUTDOWN, {optional: true})
    private shutdown?: ChatShutdownService,
  ) {
    this.store = new PresenceStore(db, this.instanceId, bus, logger);
  }

  start(): void {
    this.stopped = false;
    this.local.clear();
    this.timer = setInterval(() => {
      this.refresh().catch(() => undefined);
    }, PRESENCE_REFRESH_MS);
    this.timer.unref();
  }

  /** Removes this instance's rows (its users may go offline). */
  /** Stops once the streams are ended and the requests in flight finished. */
  async stop(): Promise<void> {
    await this.shutdown?.stopServing();
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([...this.local.values()].map(u => u.writing));
    this.local.clear();
    await this.store.removeInstance().catch(() => undefined);
  }

  /** A stream of `user` opened on this instance. */
  connected(user: ChatUser): Promise<void> {
    return this.change(user, +1);
  }

  /** A stream of `user` closed on this instance. */
  disconnected(user: ChatUser): Promise<void> {
    return this.change(user, -1);
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
      new Date(Date.now() - PRESENCE_STALE_MS),
    );
    const result = new Map<string, Presence>();
    for (const row of rows) {
      const online = Number(row.connections ?? 0) > 0;
      const times = [row.last_seen_at, row.refreshed_at]
        .filter(t => t !== null && t !== undefined)
        .map(t => new Date(t as string).getTime());
      result.set(row.user_id as string, {
        online,
        lastSeenAt: online ? null : new Date(Math.max(...times)),
      });
    }
    return result;
  }

  /**
   * One refresh: this instance's rows marked alive and checked against its
   * counts (a write that failed is retried), and the rows of dead instances
   * swept.
   */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const stored = await this.store.touch();
    const seen = new Set<string>();
    for (const row of stored) {
      const key = keyOf(row.tenantId, row.userId);
      seen.add(key);
      if ((this.local.get(key)?.open ?? 0) !== row.connections) {
        this.schedule(key, {tenantId: row.tenantId, id: row.userId}).catch(
          () => undefined,
        );
      }
    }
    for (const [key, entry] of this.local) {
      if (entry.open > 0 && !seen.has(key)) {
        this.schedule(key, entry.user).catch(() => undefined);
      }
    }
    await this.store.sweep();
  }

  private change(user: ChatUser, delta: number): Promise<void> {
    const key = keyOf(user.tenantId, user.id);
    const entry = this.entry(key, user);
    entry.open = Math.max(0, entry.open + delta);
    return this.schedule(key, user);
  }

  private entry(key: string, user: ChatUser): LocalUser {
    let entry = this.local.get(key);
    if (!entry) {
      entry = {
        user: {tenantId: user.tenantId, id: user.id},
        open: 0,
        dirty: false,
      };
      this.local.set(key, entry);
    }
    return entry;
  }

  /** Writes the user's count, after any write of it in progress. */
  private schedule(key: string, user: ChatUser): Promise<void> {
    const entry = this.entry(key, user);
    entry.dirty = true;
    entry.writing ??= this.write(entry).finally(() => {
      entry.writing = undefined;
      if (entry.dirty && !this.stopped) {
        // changed after the write's last look at it, before this ran
        this.schedule(key, entry.user).catch(() => undefined);
      } else if (entry.open === 0) {
        this.local.delete(key);
      }
    });
    return entry.writing;
  }

  private async write(entry: LocalUser): Promise<void> {
    for (let failures = 0; entry.dirty && !this.stopped;) {
      entry.dirty = false;
      try {
        await this.store.setCount(entry.user, entry.open);
        failures = 0;
      } catch {
        // a deadlock with another instance: again at once; the database
        // unreachable: the next refresh writes it
        if (++failures >= WRITE_ATTEMPTS) return;
        entry.dirty = true;
      }
    }
  }
}

function keyOf(tenantId: string, userId: string): string {
  return `${tenantId.length}:${tenantId}:${userId}`;
}
