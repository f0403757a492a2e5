import {SqlRunner} from '../chat-db';
import {advanceConversation, lockConversation} from './conversation.queries';
import {NewChatEvent} from './event.queries';
import {advanceReadPosition, lockMember} from './member.queries';
import type {NewMessage} from './message.queries';

/**
 * The PostgreSQL append as common table expressions ($1..$8). The
 * conversation row is locked first (the lock every membership change
 * takes), then the sender's membership is re-checked by updating their
 * read position: an UPDATE sees the latest committed row, so a member
 * removed while this statement waited for the lock (or a member of another
 * tenant) updates nothing, and then nothing else is written either. The
 * order (conversation, then member) is the order of membership changes,
 * so the two never deadlock.
 */
const APPEND_MESSAGE = `WITH locked AS (
    SELECT last_seq + 1 AS seq FROM chat_conversations
    WHERE id = $2 FOR NO KEY UPDATE
  ), sender AS (
    UPDATE chat_members SET last_read_seq = locked.seq FROM locked
    WHERE conversation_id = $2 AND user_id = $3 AND tenant_id = $8
    RETURNING locked.seq
  ), conversation AS (
    UPDATE chat_conversations
    SET last_seq = sender.seq, last_message_at = $7, last_activity_at = $7
    FROM sender WHERE id = $2 RETURNING last_seq
  ), message AS (
    INSERT INTO chat_messages (id, conversation_id, seq, sender_id, body,
      client_message_id, parent_message_id, created_at)
    SELECT $1::uuid, $2::uuid, last_seq, $3::varchar, $4::text,
      $5::varchar, $6::uuid, $7::timestamptz FROM conversation
    RETURNING seq
  )`;

function appendValues(m: Omit<NewMessage, 'seq'>, tenantId: string): unknown[] {
  return [
    m.id,
    m.conversationId,
    m.senderId,
    m.body,
    m.clientMessageId,
    m.parentMessageId,
    m.createdAt,
    tenantId,
  ];
}

/**
 * Appends a message to its conversation and answers its `seq`, or undefined
 * when the conversation is gone or the sender is no longer a member of it
 * in `tenantId` (then nothing is written): takes the next `seq` under the
 * conversation's row lock (held until the transaction ends), re-checks the
 * membership under that lock, inserts the message, moves the
 * conversation's latest activity and the sender's read position. One
 * statement on PostgreSQL. A repeated `clientMessageId` throws the unique
 * violation of `chat_messages_client_id_uq`.
 */
export async function appendMessage(
  q: SqlRunner,
  m: Omit<NewMessage, 'seq'>,
  tenantId: string,
): Promise<number | undefined> {
  if (q.dialect === 'mysql') {
    const locked = await lockConversation(q, m.conversationId);
    if (!locked) return undefined;
    // a locking read: the latest committed row, whatever the snapshot
    const member = await lockMember(
      q,
      m.conversationId,
      m.senderId,
      tenantId,
      'update',
    );
    if (!member) return undefined;
    const seq = locked.lastSeq + 1;
    await insertMessage(q, {...m, seq});
    await advanceConversation(q, m.conversationId, seq, m.createdAt);
    await advanceReadPosition(q, m.conversationId, m.senderId, seq);
    return seq;
  }
  const [row] = await q.query(
    `${APPEND_MESSAGE} SELECT seq FROM message`,
    appendValues(m, tenantId),
  );
  return row ? Number(row.seq) : undefined;
}

/**
 * PostgreSQL only: `appendMessage` that also queues the message's event
 * (its tenant, conversation, actor and time are the message's), whose
 * payload's `message.seq` the statement fills in. Being one statement
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
      ...appendValues(m, event.tenantId),
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
