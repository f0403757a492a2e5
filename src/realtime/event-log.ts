import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {
  ChatDb,
  ChatEventType,
  eventQueueQueries,
  SqlRunner,
} from '../repositories';
import {EventSequencer} from './event-sequencer';

/** An event to log; the sequencer gives it its id once it is committed. */
export interface LogEntry {
  tenantId: string;
  conversationId: string;
  type: ChatEventType;
  actorId: string | null;
  payload: object;
  createdAt: Date;
}

/** Collects the events of one transaction. */
export class EventRecorder {
  readonly entries: LogEntry[] = [];

  append(entry: LogEntry): void {
    this.entries.push(entry);
  }
}

/**
 * Runs writing transactions that append to the event log. The events are
 * queued in the writing transaction and given their ids by the sequencer
 * once it committed; `transaction` answers after that, so a writer reads
 * its own events from the log.
 */
@injectable({scope: BindingScope.SINGLETON})
export class EventLog {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_SEQUENCER)
    private sequencer: EventSequencer,
  ) {}

  async transaction<T>(
    work: (tx: SqlRunner, events: EventRecorder) => Promise<T>,
  ): Promise<T> {
    let queued = false;
    const result = await this.db.transaction(async tx => {
      const recorder = new EventRecorder();
      const value = await work(tx, recorder);
      if (recorder.entries.length > 0) {
        await eventQueueQueries.enqueueEvents(tx, recorder.entries);
        queued = true;
      }
      return value;
    });
    if (queued) await this.sequencer.sequence();
    return result;
  }

  /**
   * Runs one self-contained statement that queues its own events (atomic
   * without a transaction), then waits until they have their ids.
   */
  async statement<T>(work: (db: SqlRunner) => Promise<T>): Promise<T> {
    const result = await work(this.db);
    await this.sequencer.sequence();
    return result;
  }
}

/** A log entry for a change the caller made in a conversation. */
export function conversationEvent(
  access: {tenantId: string; conversationId: string; userId: string},
  type: ChatEventType,
  payload: object,
  createdAt = new Date(),
): LogEntry {
  return {
    tenantId: access.tenantId,
    conversationId: access.conversationId,
    type,
    actorId: access.userId,
    payload,
    createdAt,
  };
}
