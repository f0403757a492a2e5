import {Row, SqlRunner} from '../chat-db';
import {ConversationPatch} from '../../domain';
import {ConversationType} from '../../types';
import {
  conversationColumns,
  hasAttachmentsColumn,
  messageColumns,
} from './rows';

export interface NewConversation {
  id: string;
  tenantId: string;
  type: ConversationType;
  title: string | null;
  externalId: string | null;
  metadata: object | null;
  directKey: string | null;
  createdBy: string;
  createdAt: Date;
}

/** Position in the activity-ordered conversation list. */
export interface ActivityCursor {
  activityAt: Date;
  id: string;
}

const VIEW_SELECT = `SELECT ${conversationColumns('c')},
    m.last_read_seq AS my_last_read_seq,
    ${messageColumns('lm', 'lm_')}, ${hasAttachmentsColumn('lm', 'lm_')}
  FROM chat_members m
  JOIN chat_conversations c ON c.id = m.conversation_id
  LEFT JOIN chat_messages lm
    ON lm.conversation_id = c.id AND lm.seq = c.last_seq`;

/** Inserts a conversation; for a direct one, false when it already exists. */
export async function insertConversation(
  q: SqlRunner,
  c: NewConversation,
): Promise<boolean> {
  const insert = `INSERT INTO chat_conversations (id, tenant_id, type, title,
       external_id, metadata, direct_key, last_seq, last_activity_at,
       created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $8, $8)`;
  const params = [
    c.id,
    c.tenantId,
    c.type,
    c.title,
    c.externalId,
    c.metadata === null ? null : JSON.stringify(c.metadata),
    c.directKey,
    c.createdAt,
    c.createdBy,
  ];
  if (q.dialect === 'mysql') {
    // a group's conflicts (externalId) are errors, as in PostgreSQL
    if (c.directKey === null) {
      await q.query(insert, params);
      return true;
    }
    // no DO NOTHING nor RETURNING: an existing pair leaves its row as it is
    // (after waiting for the transaction that inserts it), and the new id
    // is there only when this statement inserted it
    await q.query(`${insert} ON DUPLICATE KEY UPDATE id = id`, params);
    const found = await q.query(
      'SELECT id FROM chat_conversations WHERE id = $1',
      [c.id],
    );
    return found.length === 1;
  }
  const rows = await q.query(
    `${insert} ON CONFLICT (tenant_id, md5(direct_key)) DO NOTHING RETURNING id`,
    params,
  );
  return rows.length === 1;
}

export async function findDirectId(
  q: SqlRunner,
  tenantId: string,
  directKey: string,
): Promise<string | undefined> {
  // the pair is indexed by the key's hash (the key is too long for a
  // B-tree row): SHA-256 on MySQL, MD5 on PostgreSQL
  const rows = await q.query<{id: string}>(
    q.dialect === 'mysql'
      ? `SELECT id FROM chat_conversations WHERE tenant_id = $1
           AND direct_key_hash = UNHEX(SHA2($2, 256)) AND direct_key = $2`
      : `SELECT id FROM chat_conversations WHERE tenant_id = $1
           AND md5(direct_key) = md5($2) AND direct_key = $2`,
    [tenantId, directKey],
  );
  return rows[0]?.id;
}

/** One conversation as `userId` sees it, or undefined for non-members. */
export async function findView(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  conversationId: string,
): Promise<Row | undefined> {
  const rows = await q.query(
    `${VIEW_SELECT}
     WHERE m.conversation_id = $1 AND m.user_id = $2 AND m.tenant_id = $3`,
    [conversationId, userId, tenantId],
  );
  return rows[0];
}

/** A page of the caller's conversations, newest activity first. */
export async function listViews(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  page: {limit: number; after?: ActivityCursor; externalId?: string},
): Promise<Row[]> {
  const params: unknown[] = [tenantId, userId];
  let where = 'm.tenant_id = $1 AND m.user_id = $2';
  if (page.externalId !== undefined) {
    params.push(page.externalId);
    where += ` AND c.external_id = $${params.length}`;
  }
  if (page.after) {
    params.push(page.after.activityAt, page.after.id);
    const [t, id] = [params.length - 1, params.length];
    where += ` AND (c.last_activity_at < $${t}
      OR (c.last_activity_at = $${t} AND c.id < $${id}))`;
  }
  params.push(page.limit);
  // the page is picked first, so the last message is read for its rows
  // only, not for every conversation of the caller
  return q.query(
    `SELECT ${conversationColumns('v')}, v.my_last_read_seq,
       ${messageColumns('lm', 'lm_')}, ${hasAttachmentsColumn('lm', 'lm_')}
     FROM (SELECT ${conversationColumns('c')},
         m.last_read_seq AS my_last_read_seq
       FROM chat_members m
       JOIN chat_conversations c ON c.id = m.conversation_id
       WHERE ${where}
       ORDER BY c.last_activity_at DESC, c.id DESC
       LIMIT $${params.length}) v
     LEFT JOIN chat_messages lm
       ON lm.conversation_id = v.id AND lm.seq = v.last_seq
     ORDER BY v.last_activity_at DESC, v.id DESC`,
    params,
  );
}

/** Locks the conversation row for the rest of the transaction. */
export async function lockConversation(
  q: SqlRunner,
  conversationId: string,
): Promise<{lastSeq: number; type: ConversationType} | undefined> {
  const [row] = await q.query(
    'SELECT last_seq, type FROM chat_conversations WHERE id = $1 FOR UPDATE',
    [conversationId],
  );
  return row
    ? {lastSeq: Number(row.last_seq), type: row.type as ConversationType}
    : undefined;
}

/**
 * Takes a shared lock on a conversation row until the transaction ends and
 * answers its latest `seq` (undefined when it is gone). A membership change
 * locks the row for update, so a writer that shares it first queues its
 * events after any such change in flight: events are then numbered after
 * the membership they were written under. On PostgreSQL it does not wait
 * for sends (`FOR KEY SHARE`); on MySQL it does, briefly.
 */
export async function shareConversation(
  q: SqlRunner,
  conversationId: string,
): Promise<number | undefined> {
  const lock = q.dialect === 'mysql' ? 'LOCK IN SHARE MODE' : 'FOR KEY SHARE';
  const [row] = await q.query(
    `SELECT last_seq FROM chat_conversations WHERE id = $1 ${lock}`,
    [conversationId],
  );
  return row ? Number(row.last_seq) : undefined;
}

export async function updateConversation(
  q: SqlRunner,
  conversationId: string,
  patch: ConversationPatch,
  by: string,
  at: Date,
): Promise<void> {
  const params: unknown[] = [conversationId, by, at];
  const sets = ['updated_by = $2', 'updated_at = $3'];
  const columns = {
    title: 'title',
    externalId: 'external_id',
    metadata: 'metadata',
  } as const;
  for (const key of Object.keys(columns) as (keyof ConversationPatch)[]) {
    if (patch[key] === undefined) continue;
    const value = patch[key];
    params.push(key === 'metadata' && value ? JSON.stringify(value) : value);
    sets.push(`${columns[key]} = $${params.length}`);
  }
  await q.query(
    `UPDATE chat_conversations SET ${sets.join(', ')} WHERE id = $1`,
    params,
  );
}

/** Records a new message: the sequence and the activity time. */
export async function advanceConversation(
  q: SqlRunner,
  conversationId: string,
  seq: number,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE chat_conversations
     SET last_seq = $2, last_message_at = $3, last_activity_at = $3
     WHERE id = $1`,
    [conversationId, seq, at],
  );
}
