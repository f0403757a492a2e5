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
import type {ChatShutdownService} from './shutdown.service';

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
 * writer committed, so a reader that has seen id N never finds a new event
 * at or below N, and writers never wait on the clock. One run numbers
 * events in the order their writers queued them; writers of a conversation
 * queue after any membership change of it that is in flight (they lock its
 * row), so each event is numbered after the membership it was written
 * under.
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
    @inject(ChatServiceBindings.SHUTDOWN, {optional: true})
    private shutdown?: ChatShutdownService,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    this.sweep();
  }

  /** Stops once the requests in flight are finished (their events sequenced). */
  async stop(): Promise<void> {
    await this.shutdown?.stopServing();
    clearInterval(this.timer);
    await this.tail;
  }

  /**
   * Sequences every event committed before the call; answers the last id
   * given (0 when there was nothing to move). Never rejects: a failed run
   * is logged and leaves the events queued for the next one.
   */
  sequence(): Promise<number> {
    if (this.next) return this.next;
    const run = this.tail.then(() => {
      this.next = undefined;
      return this.moveAll().catch(err => {
        debug('sequencing failed: %s', err);
        return 0;
      });
    });
    this.next = run;
    this.tail = run;
    return run;
  }

  private sweep(): void {
    eventQueueQueries
      .lastQueueId(this.db)
      .then(last => (last === undefined ? 0 : this.sequence()))
      .catch(err => debug('sequencing failed: %s', err));
  }

  /**
   * Moves batches until every event queued when the run started has its id
   * (later ones may ride along), so a run, and a writer waiting for it, ends
   * even while writers keep queueing.
   */
  private async moveAll(): Promise<number> {
    const horizon = await eventQueueQueries.lastQueueId(this.db);
    if (horizon === undefined) return 0;
    let lastId = 0;
    let batch: Awaited<ReturnType<EventSequencer['moveBatch']>>;
    do {
      batch = await this.db.transaction(tx => this.moveBatch(tx));
      if (batch.lastId > 0) {
        lastId = batch.lastId;
        this.bus.committed(lastId);
      }
    } while (batch.moved === BATCH && batch.lastQueueId < horizon);
    return lastId;
  }

  /** Gives the oldest queued events the next ids, in one transaction. */
  private async moveBatch(tx: SqlRunner) {
    const position = await eventQueueQueries.lockClock(tx);
    const queued = await eventQueueQueries.moveOldest(tx, position, BATCH);
    const moved = queued.length;
    if (moved === 0) return {moved, lastId: 0, lastQueueId: 0};
    for (const [i, event] of queued.entries()) {
      await trackMembership(tx, event, position + i + 1);
    }
    const lastId = position + moved;
    await this.bus.inTransaction(tx, lastId);
    return {moved, lastId, lastQueueId: queued[moved - 1].queueId};
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
