import {randomUUID} from 'node:crypto';
import {oneOf, Row, SqlRunner} from '../chat-db';
import {toOptionalNumber} from './rows';

/** Types of the events written to the log. */
export type ChatEventType =
  | 'message.created'
  | 'message.updated'
  | 'message.deleted'
  | 'member.added'
  | 'member.removed'
  | 'member.updated'
  | 'read.updated'
  | 'conversation.updated';

export interface NewChatEvent {
  tenantId: string;
  conversationId: string;
  type: ChatEventType;
  actorId: string | null;
  payload: object;
  createdAt: Date;
}

/** A member's membership interval, in event ids (both ends included). */
export interface MemberPeriod {
  userId: string;
  fromEventId: number;
  toEventId: number | null;
}

const EVENT_COLUMNS =
  'e.id, e.tenant_id, e.conversation_id, e.type, e.actor_id, e.payload, e.created_at';

/** Opens membership periods starting at `eventId`. */
export async function openPeriods(
  q: SqlRunner,
  tenantId: string,
  conversationId: string,
  userIds: string[],
  eventId: number,
): Promise<void> {
  if (userIds.length === 0) return;
  const params: unknown[] = [tenantId, conversationId, eventId];
  const values = userIds.map(userId => {
    params.push(randomUUID(), userId);
    const n = params.length;
    return `($${n - 1}, $1, $2, $${n}, $3)`;
  });
  await q.query(
    `INSERT INTO chat_member_periods
       (id, tenant_id, conversation_id, user_id, from_event_id)
     VALUES ${values.join(', ')}`,
    params,
  );
}

/** Ends a member's open period at `eventId`. */
export async function closePeriod(
  q: SqlRunner,
  conversationId: string,
  userId: string,
  eventId: number,
): Promise<void> {
  await q.query(
    `UPDATE chat_member_periods SET to_event_id = $3
     WHERE conversation_id = $1 AND user_id = $2 AND to_event_id IS NULL`,
    [conversationId, userId, eventId],
  );
}

/** The latest event id, or 0. */
export async function lastEventId(q: SqlRunner): Promise<number> {
  const [row] = await q.query(
    'SELECT position FROM chat_event_clock WHERE id = 1',
  );
  return row ? Number(row.position) : 0;
}

/** Events after `afterId` in log order, for every recipient. */
export async function listAfter(
  q: SqlRunner,
  afterId: number,
  limit: number,
): Promise<Row[]> {
  return q.query(
    `SELECT ${EVENT_COLUMNS} FROM chat_events e
     WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
    [afterId, limit],
  );
}

/**
 * Events after `afterId` that `userId` receives: those of conversations
 * while the user was a member, in log order.
 */
export async function listForUser(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  afterId: number,
  limit: number,
): Promise<Row[]> {
  return q.query(
    `SELECT ${EVENT_COLUMNS} FROM chat_member_periods p
     JOIN chat_events e ON e.conversation_id = p.conversation_id
       AND e.id >= p.from_event_id
       AND (p.to_event_id IS NULL OR e.id <= p.to_event_id)
     WHERE p.tenant_id = $1 AND p.user_id = $2 AND e.id > $3
       AND (p.to_event_id IS NULL OR p.to_event_id > $3)
     ORDER BY e.id LIMIT $4`,
    [tenantId, userId, afterId, limit],
  );
}

/** Every membership period of the given conversations. */
export async function listPeriods(
  q: SqlRunner,
  conversationIds: string[],
): Promise<Row[]> {
  if (conversationIds.length === 0) return [];
  const listed = oneOf(q, 'conversation_id', conversationIds, 1);
  return q.query(
    `SELECT conversation_id, user_id, from_event_id, to_event_id
     FROM chat_member_periods WHERE ${listed.sql}`,
    listed.params,
  );
}

/** The newest event id older than `before` (0 when none). */
export async function lastEventBefore(
  q: SqlRunner,
  before: Date,
): Promise<number> {
  const [row] = await q.query(
    'SELECT MAX(id) AS id FROM chat_events WHERE created_at < $1',
    [before],
  );
  return Number(row?.id ?? 0);
}

/**
 * Deletes the oldest events, at most `batch` of them and none after
 * `throughId`, so the log keeps a contiguous range of ids; answers how many
 * (ids are gapless).
 */
export async function pruneEvents(
  q: SqlRunner,
  throughId: number,
  batch: number,
): Promise<number> {
  const oldest = await oldestEventId(q);
  if (oldest === undefined || oldest > throughId) return 0;
  const upTo = Math.min(throughId, oldest + batch - 1);
  await q.query('DELETE FROM chat_events WHERE id <= $1', [upTo]);
  return upTo - oldest + 1;
}

/**
 * Deletes membership periods that ended before the oldest retained event
 * (or before the next one, once every event is pruned).
 */
export async function prunePeriods(q: SqlRunner): Promise<void> {
  await q.query(
    `DELETE FROM chat_member_periods
     WHERE to_event_id < COALESCE(
       (SELECT MIN(id) FROM chat_events),
       (SELECT position + 1 FROM chat_event_clock WHERE id = 1),
       0)`,
  );
}

/** The oldest retained event id, or undefined when the log is empty. */
export async function oldestEventId(q: SqlRunner): Promise<number | undefined> {
  const [row] = await q.query('SELECT MIN(id) AS id FROM chat_events');
  return toOptionalNumber(row?.id);
}

/**
 * The oldest cursor that misses nothing: the event before the oldest
 * retained one, or, once every event is pruned, the last id handed out
 * (ids are gapless). A cursor below it skipped pruned events.
 */
export async function oldestValidCursor(q: SqlRunner): Promise<number> {
  const [row] = await q.query(
    `SELECT COALESCE(
       (SELECT MIN(id) FROM chat_events) - 1,
       (SELECT position FROM chat_event_clock WHERE id = 1),
       0) AS oldest_cursor`,
  );
  return Number(row?.oldest_cursor ?? 0);
}

/** Which of `userIds` share a conversation with `userId`. */
export async function listContacts(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  userIds: string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const listed = oneOf(q, 'other.user_id', userIds, 3);
  const rows = await q.query(
    `SELECT DISTINCT other.user_id FROM chat_members mine
     JOIN chat_members other ON other.conversation_id = mine.conversation_id
     WHERE mine.tenant_id = $1 AND mine.user_id = $2
       AND ${listed.sql} AND other.user_id <> $2`,
    [tenantId, userId, ...listed.params],
  );
  return rows.map(r => r.user_id as string);
}
