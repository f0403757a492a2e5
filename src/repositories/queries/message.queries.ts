import {Row, SqlRunner} from '../chat-db';
import {
  advanceConversation,
  lockConversation,
  shareConversation,
} from './conversation.queries';
import {NewChatEvent} from './event.queries';
import {advanceReadPosition} from './member.queries';
import {hasAttachmentsColumn, messageColumns} from './rows';

export interface NewMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  body: string | null;
  clientMessageId: string | null;
  parentMessageId: string | null;
  createdAt: Date;
}

/** Which slice of the history to read, by `seq`. */
export interface HistoryPage {
  limit: number;
  before?: number;
  after?: number;
}

const SELECT_MESSAGE = `SELECT ${messageColumns('m')} FROM chat_messages m`;

/** History rows also say whether they carry live attachments. */
const SELECT_HISTORY = `SELECT ${messageColumns('m')},
  ${hasAttachmentsColumn('m')} FROM chat_messages m`;

/** The PostgreSQL append as common table expressions ($1..$7). */
const APPEND_MESSAGE = `WITH conversation AS (
    UPDATE chat_conversations
    SET last_seq = last_seq + 1, last_message_at = $7, last_activity_at = $7
    WHERE id = $2 RETURNING last_seq
  ), message AS (
    INSERT INTO chat_messages (id, conversation_id, seq, sender_id, body,
      client_message_id, parent_message_id, created_at)
    SELECT $1::uuid, $2::uuid, last_seq, $3::varchar, $4::text,
      $5::varchar, $6::uuid, $7::timestamptz FROM conversation
    RETURNING seq
  ), reader AS (
    UPDATE chat_members SET last_read_seq = message.seq FROM message
    WHERE conversation_id = $2 AND user_id = $3
      AND last_read_seq < message.seq
  )`;

function appendValues(m: Omit<NewMessage, 'seq'>): unknown[] {
  return [
    m.id,
    m.conversationId,
    m.senderId,
    m.body,
    m.clientMessageId,
    m.parentMessageId,
    m.createdAt,
  ];
}

/**
 * Appends a message to its conversation and answers its `seq`, or undefined
 * when the conversation is gone: takes the next `seq` under the
 * conversation's row lock (held until the transaction ends), inserts the
 * message, moves the conversation's latest activity and the sender's read
 * position. One statement on PostgreSQL. A repeated `clientMessageId`
 * throws the unique violation of `chat_messages_client_id_uq`.
 */
export async function appendMessage(
  q: SqlRunner,
  m: Omit<NewMessage, 'seq'>,
): Promise<number | undefined> {
  if (q.dialect === 'mysql') {
    const locked = await lockConversation(q, m.conversationId);
    if (!locked) return undefined;
    const seq = locked.lastSeq + 1;
    await insertMessage(q, {...m, seq});
    await advanceConversation(q, m.conversationId, seq, m.createdAt);
    await advanceReadPosition(q, m.conversationId, m.senderId, seq);
    return seq;
  }
  const [row] = await q.query(
    `${APPEND_MESSAGE} SELECT seq FROM message`,
    appendValues(m),
  );
  return row ? Number(row.seq) : undefined;
}

/**
 * PostgreSQL only: `appendMessage` that also queues the message's event
 * (its conversation, actor and time are the message's), whose payload's
 * `message.seq` the statement fills in. Being one statement
 * it is atomic without a transaction, so a send without attachments costs
 * one round trip instead of four (BEGIN, append, queue, COMMIT).
 */
export async function appendMessageWithEvent(
  q: SqlRunner,
  m: Omit<NewMessage, 'seq'>,
  event: Pick<NewChatEvent, 'tenantId' | 'type' | 'payload'>,
): Promise<number | undefined> {
  const [row] = await q.query(
    `${APPEND_MESSAGE}, queued AS (
       INSERT INTO chat_event_queue
         (tenant_id, conversation_id, type, actor_id, payload, created_at)
       SELECT $8::varchar, $2::uuid, $9::varchar, $3::varchar,
         jsonb_set($10::jsonb, '{message,seq}', to_jsonb(seq)),
         $7::timestamptz
       FROM message
     )
     SELECT seq FROM message`,
    [
      ...appendValues(m),
      event.tenantId,
      event.type,
      JSON.stringify(event.payload),
    ],
  );
  return row ? Number(row.seq) : undefined;
}

async function insertMessage(q: SqlRunner, m: NewMessage): Promise<void> {
  await q.query(
    `INSERT INTO chat_messages (id, conversation_id, seq, sender_id, body,
       client_message_id, parent_message_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      m.id,
      m.conversationId,
      m.seq,
      m.senderId,
      m.body,
      m.clientMessageId,
      m.parentMessageId,
      m.createdAt,
    ],
  );
}

export async function findMessage(
  q: SqlRunner,
  conversationId: string,
  messageId: string,
): Promise<Row | undefined> {
  const rows = await q.query(
    `${SELECT_MESSAGE} WHERE m.conversation_id = $1 AND m.id = $2`,
    [conversationId, messageId],
  );
  return rows[0];
}

/** The message a sender already sent with this client id, if any. */
export async function findByClientId(
  q: SqlRunner,
  conversationId: string,
  senderId: string,
  clientMessageId: string,
): Promise<Row | undefined> {
  const rows = await q.query(
    `${SELECT_MESSAGE} WHERE m.conversation_id = $1 AND m.sender_id = $2
       AND m.client_message_id = $3`,
    [conversationId, senderId, clientMessageId],
  );
  return rows[0];
}

/**
 * A page of history in ascending `seq`: the newest `limit` messages, the
 * `limit` just below `before`, or the `limit` just above `after`. Each row's
 * `has_attachments` tells whether it carries live attachments.
 */
export async function listHistory(
  q: SqlRunner,
  conversationId: string,
  page: HistoryPage,
): Promise<Row[]> {
  if (page.after !== undefined) {
    return q.query(
      `${SELECT_HISTORY} WHERE m.conversation_id = $1 AND m.seq > $2
       ORDER BY m.seq ASC LIMIT $3`,
      [conversationId, page.after, page.limit],
    );
  }
  const params: unknown[] = [conversationId, page.limit];
  let where = 'm.conversation_id = $1';
  if (page.before !== undefined) {
    params.push(page.before);
    where += ' AND m.seq < $3';
  }
  const rows = await q.query(
    `${SELECT_HISTORY} WHERE ${where} ORDER BY m.seq DESC LIMIT $2`,
    params,
  );
  return rows.reverse();
}

export async function updateBody(
  q: SqlRunner,
  messageId: string,
  body: string,
  by: string,
  at: Date,
): Promise<void> {
  await q.query(
    'UPDATE chat_messages SET body = $2, edited_at = $3, edited_by = $4 WHERE id = $1',
    [messageId, body, at, by],
  );
}

/** Soft delete: the row stays as a tombstone without a body. */
export async function markDeleted(
  q: SqlRunner,
  messageId: string,
  by: string,
  at: Date,
): Promise<void> {
  await q.query(
    'UPDATE chat_messages SET body = NULL, deleted_at = $2, deleted_by = $3 WHERE id = $1',
    [messageId, at, by],
  );
}

/**
 * Locks one message row for an edit or a delete, after sharing the
 * conversation's (see `shareConversation`).
 */
export async function lockMessage(
  q: SqlRunner,
  conversationId: string,
  messageId: string,
): Promise<Row | undefined> {
  if ((await shareConversation(q, conversationId)) === undefined) {
    return undefined;
  }
  const rows = await q.query(
    `${SELECT_MESSAGE} WHERE m.conversation_id = $1 AND m.id = $2 FOR UPDATE`,
    [conversationId, messageId],
  );
  return rows[0];
}

export async function messageExists(
  q: SqlRunner,
  conversationId: string,
  messageId: string,
): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 AS found FROM chat_messages WHERE conversation_id = $1 AND id = $2',
    [conversationId, messageId],
  );
  return rows.length > 0;
}
