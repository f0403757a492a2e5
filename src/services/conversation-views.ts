import {
  carriesAttachments,
  ConversationView,
  Row,
  SqlRunner,
  memberQueries,
  toConversation,
  toMember,
} from '../repositories';
import {withAttachments} from './attachment-views';

/**
 * Turns conversation rows into views, loading all their members, and the
 * attachments of all their last messages, at once.
 */
export async function toConversationViews(
  q: SqlRunner,
  rows: Row[],
): Promise<ConversationView[]> {
  const views = rows.map(toConversation);
  const members = await memberQueries.listMembers(
    q,
    views.map(v => v.id),
  );
  const byConversation = new Map(views.map(v => [v.id, v]));
  for (const row of members) {
    byConversation
      .get(row.conversation_id as string)
      ?.members.push(toMember(row));
  }
  await withAttachments(
    q,
    views.flatMap((v, i) =>
      v.lastMessage && carriesAttachments(rows[i], 'lm_')
        ? [v.lastMessage]
        : [],
    ),
  );
  return views;
}
