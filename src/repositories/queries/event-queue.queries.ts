import {oneOf, Row, SqlRunner} from '../chat-db';
import {ChatEventType, NewChatEvent} from './event.queries';
import {toJson, toOptionalNumber} from './rows';

/** An event waiting for its log position. */
export interface QueuedEvent {
  queueId: number;
  tenantId: string;
  conversationId: string;
  type: ChatEventType;
  /** Only for `member.added` and `member.removed` (the sequencer needs it). */
  payload: object | null;
}

/** Queues events; the sequencer gives them their ids once committed. */
export async function enqueueEvents(
  q: SqlRunner,
  events: NewChatEvent[],
): Promise<void> {
  const params: unknown[] = [];
  const values = events.map(e => {
    params.push(
      e.tenantId,
      e.conversationId,
      e.type,
      e.actorId,
      JSON.stringify(e.payload),
      e.createdAt,
    );
    const n = params.length;
    return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
  });
  await q.query(
    `INSERT INTO chat_event_queue
       (tenant_id, conversation_id, type, actor_id, payload, created_at)
     VALUES ${values.join(', ')}`,
    params,
  );
}

/** The newest committed queued event, or undefined when none waits. */
export async function lastQueueId(q: SqlRunner): Promise<number | undefined> {
  const [row] = await q.query(
    'SELECT MAX(queue_id) AS queue_id FROM chat_event_queue',
  );
  return toOptionalNumber(row?.queue_id);
}

/**
 * Locks the event clock until the transaction ends and answers its
 * position: the id of the last event in the log.
 */
export async function lockClock(q: SqlRunner): Promise<number> {
  const [clock] = await q.query(
    'SELECT position FROM chat_event_clock WHERE id = 1 FOR UPDATE',
  );
  if (!clock) throw new Error('chat_event_clock has no row: migrate first.');
  return Number(clock.position);
}

/**
 * Moves the oldest queued events, at most `limit`, into the log with ids
 * `afterId + 1`, `afterId + 2`, … in queue order, and sets the clock to the
 * last of them; answers them in that order. Call it holding the clock
 * (`lockClock`). One statement on PostgreSQL.
 */
export async function moveOldest(
  q: SqlRunner,
  afterId: number,
  limit: number,
): Promise<QueuedEvent[]> {
  if (q.dialect === 'mysql') {
    const queued = await oldestQueued(q, limit);
    if (queued.length > 0) {
      await moveToLog(
        q,
        afterId,
        queued.map(e => e.queueId),
      );
    }
    return queued;
  }
  const rows = await q.query(
    `WITH batch AS (
       SELECT queue_id FROM chat_event_queue ORDER BY queue_id LIMIT $2
     ), moved AS (
       DELETE FROM chat_event_queue q USING batch
       WHERE q.queue_id = batch.queue_id RETURNING q.*
     ), numbered AS (
       SELECT $1::bigint + ROW_NUMBER() OVER (ORDER BY queue_id) AS id,
         moved.*
       FROM moved
     ), logged AS (
       INSERT INTO chat_events
         (id, tenant_id, conversation_id, type, actor_id, payload, created_at)
       SELECT id, tenant_id, conversation_id, type, actor_id, payload,
         created_at
       FROM numbered
     ), clock AS (
       UPDATE chat_event_clock
       SET position = $1::bigint + (SELECT COUNT(*) FROM moved) WHERE id = 1
     )
     SELECT queue_id, tenant_id, conversation_id, type, ${MEMBER_PAYLOAD}
     FROM numbered ORDER BY id`,
    [afterId, limit],
  );
  return rows.map(toQueued);
}

/** Only membership events' payloads are read back (to track periods). */
const MEMBER_PAYLOAD = `CASE WHEN type IN ('member.added', 'member.removed')
  THEN payload END AS payload`;

function toQueued(r: Row): QueuedEvent {
  return {
    queueId: Number(r.queue_id),
    tenantId: r.tenant_id as string,
    conversationId: r.conversation_id as string,
    type: r.type as ChatEventType,
    payload: toJson(r.payload),
  };
}

/** The oldest queued events, at most `limit`, in queue order. */
async function oldestQueued(
  q: SqlRunner,
  limit: number,
): Promise<QueuedEvent[]> {
  const rows = await q.query(
    `SELECT queue_id, tenant_id, conversation_id, type, ${MEMBER_PAYLOAD}
     FROM chat_event_queue ORDER BY queue_id LIMIT $1`,
    [limit],
  );
  return rows.map(toQueued);
}

/**
 * Moves the queued events `queueIds` (ascending) into the log with ids
 * `afterId + 1`, `afterId + 2`, … in that order, and sets the clock to the
 * last of them.
 */
async function moveToLog(
  q: SqlRunner,
  afterId: number,
  queueIds: number[],
): Promise<void> {
  const moving = oneOf(q, 'queue_id', queueIds, 2);
  await q.query(
    `INSERT INTO chat_events
       (id, tenant_id, conversation_id, type, actor_id, payload, created_at)
     SELECT $1 + ROW_NUMBER() OVER (ORDER BY queue_id), tenant_id,
       conversation_id, type, actor_id, payload, created_at
     FROM chat_event_queue WHERE ${moving.sql}`,
    [afterId, ...moving.params],
  );
  const moved = oneOf(q, 'queue_id', queueIds, 1);
  await q.query(
    `DELETE FROM chat_event_queue WHERE ${moved.sql}`,
    moved.params,
  );
  await q.query('UPDATE chat_event_clock SET position = $1 WHERE id = 1', [
    afterId + queueIds.length,
  ]);
}
