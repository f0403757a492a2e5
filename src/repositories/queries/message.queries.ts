import {Row, SqlRunner} from '../chat-db';
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

export {appendMessage, appendMessageWithEvent} from './message-append.queries';

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
 * Locks one message row for an edit or a delete. Callers share the
 * conversation's row first (see `shareConversation`).
 */
export async function lockMessage(
  q: SqlRunner,
  conversationId: string,
  messageId: string,
): Promise<Row | undefined> {
  const rows = await q.query(
    // NO KEY: a reply's foreign-key check on its parent need not wait
    `${SELECT_MESSAGE} WHERE m.conversation_id = $1 AND m.id = $2 ${
      q.dialect === 'mysql' ? 'FOR UPDATE' : 'FOR NO KEY UPDATE'
    }`,
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
