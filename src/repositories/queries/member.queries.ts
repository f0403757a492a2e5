import {randomUUID} from 'node:crypto';
import {oneOf, Row, SqlRunner} from '../chat-db';
import {MemberRole} from '../../types';
import {ConversationAccess} from '../../domain';

export interface NewMember {
  userId: string;
  role: MemberRole;
}

const MEMBER_COLUMNS = 'user_id, role, joined_at, last_read_seq';

/** The caller's membership in a conversation of their tenant. */
export async function findAccess(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  conversationId: string,
): Promise<ConversationAccess | undefined> {
  const rows = await q.query(
    `SELECT c.id, c.tenant_id, c.type, c.last_seq, m.role, m.last_read_seq
     FROM chat_members m
     JOIN chat_conversations c ON c.id = m.conversation_id
     WHERE m.conversation_id = $1 AND m.user_id = $2 AND m.tenant_id = $3`,
    [conversationId, userId, tenantId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    conversationId: row.id as string,
    tenantId: row.tenant_id as string,
    type: row.type as ConversationAccess['type'],
    userId,
    role: row.role as MemberRole,
    lastReadSeq: Number(row.last_read_seq),
    lastSeq: Number(row.last_seq),
  };
}

/**
 * Adds members who are not in the conversation yet, starting their read
 * position at `lastReadSeq`. Answers the user ids actually added.
 */
export async function insertMembers(
  q: SqlRunner,
  conversation: {id: string; tenantId: string},
  members: NewMember[],
  lastReadSeq: number,
  addedBy: string,
  at: Date,
): Promise<string[]> {
  if (members.length === 0) return [];
  const params: unknown[] = [
    conversation.id,
    conversation.tenantId,
    lastReadSeq,
    at,
    addedBy,
  ];
  const ids = members.map(() => randomUUID());
  const values = members.map((m, i) => {
    params.push(ids[i], m.userId, m.role);
    const n = params.length;
    return `($${n - 2}, $1, $2, $${n - 1}, $${n}, $3, $4, $5)`;
  });
  const insert = `INSERT INTO chat_members
       (id, conversation_id, tenant_id, user_id, role, last_read_seq,
        joined_at, added_by)
     VALUES ${values.join(', ')}`;
  if (q.dialect === 'mysql') {
    // no DO NOTHING nor RETURNING: members already there keep their row,
    // and the rows with the ids generated here are the ones added
    await q.query(`${insert} ON DUPLICATE KEY UPDATE id = id`, params);
    const inserted = oneOf(q, 'id', ids, 1);
    const added = await q.query(
      `SELECT user_id FROM chat_members WHERE ${inserted.sql}`,
      inserted.params,
    );
    return added.map(r => r.user_id as string);
  }
  const rows = await q.query(
    `${insert} ON CONFLICT (conversation_id, user_id) DO NOTHING
     RETURNING user_id`,
    params,
  );
  return rows.map(r => r.user_id as string);
}

/** Members of the given conversations, oldest first within each. */
export async function listMembers(
  q: SqlRunner,
  conversationIds: string[],
): Promise<Row[]> {
  if (conversationIds.length === 0) return [];
  const listed = oneOf(q, 'conversation_id', conversationIds, 1);
  return q.query(
    `SELECT conversation_id, ${MEMBER_COLUMNS} FROM chat_members
     WHERE ${listed.sql}
     ORDER BY conversation_id, joined_at, user_id`,
    listed.params,
  );
}

export async function findMember(
  q: SqlRunner,
  conversationId: string,
  userId: string,
): Promise<Row | undefined> {
  const rows = await q.query(
    `SELECT ${MEMBER_COLUMNS} FROM chat_members
     WHERE conversation_id = $1 AND user_id = $2`,
    [conversationId, userId],
  );
  return rows[0];
}

export async function setRole(
  q: SqlRunner,
  conversationId: string,
  userId: string,
  role: MemberRole,
): Promise<void> {
  await q.query(
    'UPDATE chat_members SET role = $3 WHERE conversation_id = $1 AND user_id = $2',
    [conversationId, userId, role],
  );
}

export async function deleteMember(
  q: SqlRunner,
  conversationId: string,
  userId: string,
): Promise<void> {
  await q.query(
    'DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
    [conversationId, userId],
  );
}

export async function countOwners(
  q: SqlRunner,
  conversationId: string,
): Promise<number> {
  const rows = await q.query<{n: string}>(
    `SELECT COUNT(*) AS n FROM chat_members
     WHERE conversation_id = $1 AND role = 'owner'`,
    [conversationId],
  );
  return Number(rows[0].n);
}

/** The member who should inherit ownership: longest-standing admin, else member. */
export async function findSuccessor(
  q: SqlRunner,
  conversationId: string,
): Promise<string | undefined> {
  const [row] = await q.query(
    `SELECT user_id FROM chat_members WHERE conversation_id = $1
     ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_at, user_id
     LIMIT 1`,
    [conversationId],
  );
  return row?.user_id as string | undefined;
}

/**
 * Moves a read position forward, never back, and never past `lastSeq`.
 * Answers whether it moved.
 */
export async function advanceReadPosition(
  q: SqlRunner,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<boolean> {
  const params = [conversationId, userId, seq];
  const update = `UPDATE chat_members SET last_read_seq = $3
     WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3`;
  if (q.dialect === 'mysql') {
    // no UPDATE … RETURNING: read the position under a row lock first
    const [row] = await q.query(
      `SELECT last_read_seq FROM chat_members
       WHERE conversation_id = $1 AND user_id = $2 FOR UPDATE`,
      params,
    );
    if (!row || Number(row.last_read_seq) >= seq) return false;
    await q.query(update, params);
    return true;
  }
  const rows = await q.query(`${update} RETURNING last_read_seq`, params);
  return rows.length === 1;
}

/** Members (other than `exceptUserId`) whose position is at or past `seq`. */
export async function listReaders(
  q: SqlRunner,
  conversationId: string,
  seq: number,
  exceptUserId: string,
): Promise<Row[]> {
  return q.query(
    `SELECT user_id, last_read_seq FROM chat_members
     WHERE conversation_id = $1 AND last_read_seq >= $2 AND user_id <> $3
     ORDER BY user_id`,
    [conversationId, seq, exceptUserId],
  );
}

export {listUnread, sumUnread} from './unread.queries';
export {lockMember, lockReadPosition} from './member-locks.queries';
