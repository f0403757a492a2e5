import {
  BindingScope,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {ChatDb, eventQueries} from '../repositories';
import {ResolvedChatServiceConfig} from '../types';

const BATCH = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes events older than the retention period, in small batches so
 * writers are never blocked for long, and the membership periods that only
 * pruned events needed.
 */
@injectable({scope: BindingScope.SINGLETON})
export class EventPruner implements LifeCycleObserver {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
  ) {}

  start(): void {
    const interval = this.config.realtime.pruneIntervalSeconds * 1000;
    this.timer = setInterval(() => {
      this.prune().catch(() => undefined);
    }, interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Prunes now; answers how many events were deleted. */
  prune(): Promise<number> {
    this.running ??= this.pruneAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pruneAll(): Promise<number> {
    const retention = this.config.realtime.eventRetentionDays * DAY_MS;
    const before = new Date(Date.now() - retention);
    const throughId = await eventQueries.lastEventBefore(this.db, before);
    let total = 0;
    let deleted: number;
    do {
      deleted = await eventQueries.pruneEvents(this.db, throughId, BATCH);
      total += deleted;
    } while (deleted === BATCH);
    await eventQueries.prunePeriods(this.db);
    return total;
  }
}
