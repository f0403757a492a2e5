import {SqlRunner} from '../chat-db';
import {MemberRole} from '../../types';
import {shareConversation} from './conversation.queries';

/**
 * Locks the caller's member row, after sharing the conversation's (see
 * `shareConversation`); answers its position and the latest seq, or
 * undefined when the caller is not (or no longer) a member in `tenantId`.
 */
export async function lockReadPosition(
  q: SqlRunner,
  conversationId: string,
  userId: string,
  tenantId: string,
): Promise<{lastReadSeq: number; lastSeq: number} | undefined> {
  const lastSeq = await shareConversation(q, conversationId);
  if (lastSeq === undefined) return undefined;
  const [member] = await q.query(
    `SELECT last_read_seq FROM chat_members
     WHERE conversation_id = $1 AND user_id = $2 AND tenant_id = $3
     FOR UPDATE`,
    [conversationId, userId, tenantId],
  );
  if (!member) return undefined;
  return {lastReadSeq: Number(member.last_read_seq), lastSeq};
}

/**
 * The role of `userId` in a conversation of `tenantId`, read with a row
 * lock, so the latest committed row whatever the transaction's snapshot
 * (undefined for a non-member). Writers call it under the conversation's
 * lock to re-check access where they write: `update` takes the row for
 * update (MySQL's send, which then moves the read position), otherwise a
 * shared lock.
 */
export async function lockMember(
  q: SqlRunner,
  conversationId: string,
  userId: string,
  tenantId: string,
  mode: 'share' | 'update' = 'share',
): Promise<{role: MemberRole} | undefined> {
  let lock = mode === 'update' ? 'FOR UPDATE' : 'FOR KEY SHARE';
  if (q.dialect === 'mysql' && mode === 'share') lock = 'LOCK IN SHARE MODE';
  const [row] = await q.query(
    `SELECT role FROM chat_members
     WHERE conversation_id = $1 AND user_id = $2 AND tenant_id = $3 ${lock}`,
    [conversationId, userId, tenantId],
  );
  return row ? {role: row.role as MemberRole} : undefined;
}
