import {
  BindingScope,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import debugFactory from 'debug';
import {ChatServiceBindings} from '../keys';
import {
  ChatDb,
  eventQueries,
  eventQueueQueries,
  MemberView,
  QueuedEvent,
  SqlRunner,
} from '../repositories';
import {ChatEventBus} from '../types';

const debug = debugFactory('loopback:chat-service:sequencer');

/** Most events one sequencing transaction moves. */
const BATCH = 1000;
/** How often queued events left behind (a crashed writer) are looked for. */
const SWEEP_MS = 1000;

/**
 * Gives queued events their log positions. Writers commit their events to
 * `chat_event_queue` with the change; a sequencing transaction then locks
 * the event clock, moves every committed queued event into `chat_events`
 * with the next ids, and commits. An event can only be moved once its
 * writer committed, so ids follow commit order and a reader that has seen
 * id N never finds a new event at or below N, while writers never wait on
 * the clock.
 *
 * Runs coalesce: a call waits for a run that starts after it, and all calls
 * made during one run share the next.
 */
@injectable({scope: BindingScope.SINGLETON})
export class EventSequencer implements LifeCycleObserver {
  private tail: Promise<unknown> = Promise.resolve();
  private next?: Promise<number>;
  private timer?: NodeJS.Timeout;

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    this.sweep();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tail;
  }

  /**
   * Sequences every event committed before the call; answers the last id
   * given (0 when there was nothing to move).
   */
  sequence(): Promise<number> {
    if (this.next) return this.next;
    const run = this.tail.then(() => {
      this.next = undefined;
      return this.moveAll();
    });
    this.next = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  private sweep(): void {
    eventQueueQueries
      .hasQueuedEvents(this.db)
      .then(queued => (queued ? this.sequence() : 0))
      .catch(err => debug('sequencing failed: %s', err));
  }

  private async moveAll(): Promise<number> {
    let lastId = 0;
    let moved: number;
    do {
      moved = 0;
      const id = await this.db.transaction(async tx => {
        const position = await eventQueueQueries.lockClock(tx);
        const queued = await eventQueueQueries.oldestQueued(tx, BATCH);
        moved = queued.length;
        if (moved === 0) return 0;
        await eventQueueQueries.moveToLog(
          tx,
          position,
          queued.map(e => e.queueId),
        );
        for (const [i, event] of queued.entries()) {
          await trackMembership(tx, event, position + i + 1);
        }
        await this.bus.inTransaction(tx, position + moved);
        return position + moved;
      });
      if (id > 0) {
        lastId = id;
        this.bus.committed(id);
      }
    } while (moved === BATCH);
    return lastId;
  }
}

/** Keeps the membership periods that decide who receives what. */
async function trackMembership(tx: SqlRunner, event: QueuedEvent, id: number) {
  if (event.type === 'member.added') {
    const {members} = event.payload as {members: Pick<MemberView, 'userId'>[]};
    await eventQueries.openPeriods(
      tx,
      event.tenantId,
      event.conversationId,
      members.map(m => m.userId),
      id,
    );
  } else if (event.type === 'member.removed') {
    const {userId} = event.payload as {userId: string};
    await eventQueries.closePeriod(tx, event.conversationId, userId, id);
  }
}
