import {ChatDb, presenceQueries, PresenceRow, SqlRunner} from '../repositories';
import {ChatEventBus, ChatLogger, ChatUser} from '../types';

/** How often an instance marks its presence rows alive. */
export const PRESENCE_REFRESH_MS = 30_000;
/** Rows not refreshed for this long belong to an instance that is gone. */
export const PRESENCE_STALE_MS = 3 * PRESENCE_REFRESH_MS;
/** Stale rows one sweep removes at most. */
const SWEEP_BATCH = 200;

/** A user's total over live instances before and after a change. */
interface Transition {
  before: number;
  after: number;
  at: Date;
}

/**
 * The `chat_presence` rows of one instance, and the sweep of dead
 * instances' rows. Each change of a user's rows runs in a transaction that
 * first locks the user's `chat_last_seen` row, so the before/after totals it
 * reads are exact whichever instances change them concurrently.
 */
export class PresenceStore {
  constructor(
    private readonly db: ChatDb,
    private readonly instanceId: string,
    private readonly bus: ChatEventBus,
    private readonly logger: ChatLogger,
  ) {}

  /** Stores `count` streams of `user` here; tells contacts when it matters. */
  async setCount(user: ChatUser, count: number): Promise<void> {
    const at = new Date();
    const change = await this.db.transaction(async tx => {
      const rows = await this.lockedRows(tx, user, at);
      const fresh = freshOnly(rows, at);
      const mine = fresh.find(r => r.instanceId === this.instanceId);
      const before = total(fresh);
      const stored = rows.find(r => r.instanceId === this.instanceId);
      if ((stored?.connections ?? 0) !== count || (stored && !mine)) {
        await presenceQueries.setConnections(tx, {
          tenantId: user.tenantId,
          userId: user.id,
          instanceId: this.instanceId,
          connections: count,
          updatedAt: at,
        });
      }
      return {before, after: before - (mine?.connections ?? 0) + count, at};
    });
    await this.announce(user, change);
  }

  /** Marks this instance's rows alive; answers them. */
  async touch(): Promise<PresenceRow[]> {
    await presenceQueries.touchInstance(this.db, this.instanceId, new Date());
    return presenceQueries.listInstanceRows(this.db, this.instanceId);
  }

  /** Removes rows of instances that stopped refreshing them. */
  async sweep(): Promise<void> {
    const before = new Date(Date.now() - PRESENCE_STALE_MS);
    const stale = await presenceQueries.listStale(this.db, before, SWEEP_BATCH);
    let removed = 0;
    for (const row of stale) if (await this.sweepRow(row, before)) removed++;
    if (removed > 0) {
      const instances = new Set(stale.map(r => r.instanceId)).size;
      this.logger.info(
        `presence: removed ${removed} rows of ${instances} instance(s) not ` +
          `refreshed for ${PRESENCE_STALE_MS / 1000} s (stopped without cleanup)`,
      );
    }
  }

  /** On stop: this instance's users leave, as if their streams closed. */
  async removeInstance(): Promise<void> {
    const rows = await presenceQueries.listInstanceRows(
      this.db,
      this.instanceId,
    );
    for (const row of rows) {
      await this.setCount({tenantId: row.tenantId, id: row.userId}, 0);
    }
  }

  /** Removes one stale row; answers whether this call removed it. */
  private async sweepRow(row: PresenceRow, before: Date): Promise<boolean> {
    const user = {tenantId: row.tenantId, id: row.userId};
    const change = await this.db.transaction(async tx => {
      // the instance was last alive when it refreshed the row
      const rows = await this.lockedRows(tx, user, row.updatedAt);
      const stale = rows.find(
        r => r.instanceId === row.instanceId && r.updatedAt < before,
      );
      if (!stale) return undefined; // refreshed, or swept by another
      await presenceQueries.deleteStale(tx, stale, before);
      const after = total(freshOnly(rows, new Date()));
      return {before: stale.connections + after, after, at: row.updatedAt};
    });
    if (!change) return false;
    await this.announce(user, change);
    return true;
  }

  private async lockedRows(
    tx: SqlRunner,
    user: ChatUser,
    at: Date,
  ): Promise<PresenceRow[]> {
    await presenceQueries.lockUser(tx, user.tenantId, user.id, at);
    return presenceQueries.listUserCounts(tx, user.tenantId, user.id);
  }

  /** A `presence` event when the user came online or went offline. */
  private async announce(user: ChatUser, change: Transition): Promise<void> {
    const online = change.before === 0 && change.after > 0;
    if (!online && !(change.before > 0 && change.after === 0)) return;
    await this.bus.publishEphemeral({
      type: 'presence',
      tenantId: user.tenantId,
      conversationId: null,
      userId: user.id,
      createdAt: change.at.toISOString(),
      online,
      lastSeenAt: online ? null : change.at.toISOString(),
    });
  }
}

function freshOnly(rows: PresenceRow[], now: Date): PresenceRow[] {
  const since = now.getTime() - PRESENCE_STALE_MS;
  return rows.filter(r => r.updatedAt.getTime() >= since);
}

function total(rows: PresenceRow[]): number {
  return rows.reduce((sum, r) => sum + Math.max(0, r.connections), 0);
}
