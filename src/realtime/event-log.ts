import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {
  ChatDb,
  ChatEventType,
  eventQueries,
  MemberView,
  SqlRunner,
} from '../repositories';
import {ChatEventBus} from '../types';

/** An event to log; its id is given when the transaction writes it. */
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
 * inserted at the end of the transaction, so the event clock is held only
 * for the final statements; the bus hears of them once they are committed.
 */
@injectable({scope: BindingScope.SINGLETON})
export class EventLog {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
  ) {}

  async transaction<T>(
    work: (tx: SqlRunner, events: EventRecorder) => Promise<T>,
  ): Promise<T> {
    let lastId = 0;
    const result = await this.db.transaction(async tx => {
      const recorder = new EventRecorder();
      const value = await work(tx, recorder);
      lastId = await this.write(tx, recorder.entries);
      return value;
    });
    if (lastId > 0) this.bus.committed(lastId);
    return result;
  }

  private async write(tx: SqlRunner, entries: LogEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const firstId = await eventQueries.allocateEventIds(tx, entries.length);
    await eventQueries.insertEvents(tx, firstId, entries);
    for (const [i, entry] of entries.entries()) {
      await this.trackMembership(tx, entry, firstId + i);
    }
    const lastId = firstId + entries.length - 1;
    await this.bus.inTransaction(tx, lastId);
    return lastId;
  }

  /** Keeps the membership periods that decide who receives what. */
  private async trackMembership(tx: SqlRunner, entry: LogEntry, id: number) {
    if (entry.type === 'member.added') {
      const {members} = entry.payload as {
        members: Pick<MemberView, 'userId'>[];
      };
      await eventQueries.openPeriods(
        tx,
        entry.tenantId,
        entry.conversationId,
        members.map(m => m.userId),
        id,
      );
    } else if (entry.type === 'member.removed') {
      const {userId} = entry.payload as {userId: string};
      await eventQueries.closePeriod(tx, entry.conversationId, userId, id);
    }
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
