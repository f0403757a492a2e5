import {ChatError, ChatErrorCodes} from '../errors';
import {
  ChatEventType,
  ConversationAccess,
  conversationQueries,
  MessageView,
  messageQueries,
  NewMessage,
  SqlRunner,
  toMessage,
} from '../repositories';
import {conversationEvent} from '../realtime/event-log';
import {MessageHookContext} from '../types';
import {isUuid, recheckAccess} from './access.service';
import {withAttachments} from './attachment-views';

/**
 * Locks a message for an edit or delete by `access`: shares the
 * conversation's row (so no membership change is in flight), re-checks the
 * caller's membership under it (404 once removed), then locks the message
 * (404 if unknown, 409 if deleted). Answers the message and the caller's
 * current access.
 */
export async function lockForChange(
  tx: SqlRunner,
  access: ConversationAccess,
  messageId: string,
): Promise<{message: MessageView; access: ConversationAccess}> {
  const {conversationId} = access;
  if (
    (await conversationQueries.shareConversation(tx, conversationId)) ===
    undefined
  ) {
    throw notFound('Conversation');
  }
  const current = await recheckAccess(tx, access);
  const row = isUuid(messageId)
    ? await messageQueries.lockMessage(
        tx,
        conversationId,
        messageId.toLowerCase(),
      )
    : undefined;
  if (!row) throw notFound('Message');
  const message = toMessage(row);
  if (message.deletedAt) {
    throw ChatError.conflict(
      ChatErrorCodes.MESSAGE_DELETED,
      'The message was deleted.',
    );
  }
  return {message, access: current};
}

/** The message the caller already sent with this client id, if any. */
export async function findSent(
  q: SqlRunner,
  access: ConversationAccess,
  clientMessageId: string,
): Promise<MessageView | undefined> {
  const row = await messageQueries.findByClientId(
    q,
    access.conversationId,
    access.userId,
    clientMessageId,
  );
  if (!row) return undefined;
  const [message] = await withAttachments(q, [toMessage(row)]);
  return message;
}

/** What message hooks are told about a change by `access`. */
export function hookContext(
  access: ConversationAccess,
  action: MessageHookContext['action'],
): MessageHookContext {
  const {tenantId, conversationId, userId} = access;
  return {action, tenantId, conversationId, userId};
}

/** The 404 of an unknown conversation or message. */
export function notFound(what: 'Conversation' | 'Message'): ChatError {
  return ChatError.notFound(
    what === 'Message'
      ? ChatErrorCodes.MESSAGE_NOT_FOUND
      : ChatErrorCodes.CONVERSATION_NOT_FOUND,
    what,
  );
}

/** A 422 unless `parentId` (when given) is a message of the conversation. */
export async function checkParent(
  q: SqlRunner,
  conversationId: string,
  parentId?: string,
): Promise<void> {
  if (parentId === undefined) return;
  const exists =
    isUuid(parentId) &&
    (await messageQueries.messageExists(
      q,
      conversationId,
      parentId.toLowerCase(),
    ));
  if (!exists) {
    throw ChatError.invalid(
      'parentMessageId',
      'no such message in this conversation',
    );
  }
}

/** The view of a message just appended, before any attachments. */
export function messageOf(
  draft: Omit<NewMessage, 'seq'>,
  seq: number,
): MessageView {
  return {
    id: draft.id,
    conversationId: draft.conversationId,
    seq,
    senderId: draft.senderId,
    body: draft.body,
    clientMessageId: draft.clientMessageId,
    parentMessageId: draft.parentMessageId,
    attachments: [],
    createdAt: draft.createdAt,
    editedAt: null,
    deletedAt: null,
  };
}

/** The event of a change by `access` to `message`, made at `at`. */
export function messageEvent(
  access: ConversationAccess,
  type: ChatEventType,
  message: MessageView,
  at: Date,
) {
  return conversationEvent(access, type, {message}, at);
}

/** An edit touches neither a tombstone (409) nor another's message (403). */
export function checkAuthor(access: ConversationAccess, message: MessageView) {
  if (message.deletedAt) {
    throw ChatError.conflict(
      ChatErrorCodes.MESSAGE_DELETED,
      'The message was deleted.',
    );
  }
  if (message.senderId !== access.userId) {
    throw ChatError.forbidden('Only the author may edit a message.');
  }
}
