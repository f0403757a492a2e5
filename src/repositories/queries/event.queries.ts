import {SqlRunner} from '../chat-db';

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

/**
 * Appends an event to the log. Call it with the transaction that makes the
 * change, so the log never disagrees with the data.
 */
export async function appendEvent(
  q: SqlRunner,
  event: NewChatEvent,
): Promise<void> {
  await q.query(
    `INSERT INTO chat_events
       (tenant_id, conversation_id, type, actor_id, payload, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      event.tenantId,
      event.conversationId,
      event.type,
      event.actorId,
      JSON.stringify(event.payload),
      event.createdAt,
    ],
  );
}
