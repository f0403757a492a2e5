import {ChatError} from '../errors';
import {attachmentQueries, MessageView, SqlRunner} from '../repositories';
import {isUuid} from './access.service';

/** Most attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/**
 * Fills `attachments` of the given messages with one query for all of them
 * (deleted messages have none). Answers the same array.
 */
export async function withAttachments<T extends MessageView>(
  q: SqlRunner,
  messages: T[],
): Promise<T[]> {
  const live = messages.filter(m => !m.deletedAt);
  const attachments = await attachmentQueries.listForMessages(
    q,
    live.map(m => m.id),
  );
  const byId = new Map(live.map(m => [m.id, m]));
  for (const attachment of attachments) {
    byId.get(attachment.messageId!)?.attachments.push(attachment);
  }
  return messages;
}

/**
 * Attaches the sender's uploads to a message just inserted, in the same
 * transaction, and sets its `attachments`. Every id must be an upload of
 * the sender to this conversation that no message carries yet; otherwise a
 * 422 naming `attachmentIds` (which rolls the send back).
 */
export async function attachUploads(
  tx: SqlRunner,
  message: MessageView,
  attachmentIds: string[] | undefined,
): Promise<void> {
  if (!attachmentIds?.length) return;
  const ids = [...new Set(attachmentIds.map(id => String(id).toLowerCase()))];
  if (ids.length > MAX_ATTACHMENTS_PER_MESSAGE || !ids.every(isUuid)) {
    throw ChatError.invalid(
      'attachmentIds',
      `at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachment ids (UUIDs)`,
    );
  }
  const attached = await attachmentQueries.attachToMessage(
    tx,
    {
      messageId: message.id,
      conversationId: message.conversationId,
      uploaderId: message.senderId,
    },
    ids,
  );
  if (attached.length !== ids.length) {
    throw ChatError.invalid(
      'attachmentIds',
      'each must be an attachment you uploaded to this conversation ' +
        'that no message carries yet',
    );
  }
  message.attachments = attached;
}

/**
 * The body to store: the given one, or `''` for a message that only
 * carries attachments. Without either, a 422 naming `body`.
 */
export function bodyOf(input: {
  body?: string;
  attachmentIds?: string[];
}): string {
  if (input.body !== undefined) return input.body;
  if (input.attachmentIds?.length) return '';
  throw ChatError.invalid('body', 'is required unless attachmentIds is given');
}
