import {Row, SqlRunner} from '../chat-db';

/**
 * Conversations with unread messages for the caller, the most recently
 * active first, at most `limit`.
 */
export async function listUnread(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  limit: number,
): Promise<Row[]> {
  return q.query(
    `SELECT m.conversation_id, c.last_seq - m.last_read_seq AS unread
     FROM chat_members m
     JOIN chat_conversations c ON c.id = m.conversation_id
     WHERE m.tenant_id = $1 AND m.user_id = $2
       AND c.last_seq > m.last_read_seq
     ORDER BY c.last_activity_at DESC, c.id DESC
     LIMIT ${Math.trunc(limit)}`,
    [tenantId, userId],
  );
}

/**
 * Unread messages of the caller over all their conversations: one aggregate
 * over their member rows (by `chat_members_user_idx`), each conversation's
 * count derived from two columns, no rows returned.
 */
export async function sumUnread(
  q: SqlRunner,
  tenantId: string,
  userId: string,
): Promise<number> {
  const [row] = await q.query(
    `SELECT COALESCE(SUM(c.last_seq - m.last_read_seq), 0) AS total
     FROM chat_members m
     JOIN chat_conversations c ON c.id = m.conversation_id
     WHERE m.tenant_id = $1 AND m.user_id = $2
       AND c.last_seq > m.last_read_seq`,
    [tenantId, userId],
  );
  return Number(row?.total ?? 0);
}
