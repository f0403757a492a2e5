import {BindingScope, inject, injectable} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  ChatDb,
  ConversationAccess,
  HistoryPage,
  MessageView,
  SqlRunner,
  conversationQueries,
  eventQueries,
  memberQueries,
  messageQueries,
  toMessage,
} from '../repositories';
import {ResolvedChatServiceConfig} from '../types';
import {isManager, isUuid} from './access.service';
import {pageLimit} from './paging';
import {checkStorable} from './storable-text';

export interface SendMessageInput {
  body: string;
  clientMessageId?: string;
  parentMessageId?: string;
}

/** Sends, reads, edits and deletes messages. */
@injectable({scope: BindingScope.SINGLETON})
export class MessageService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
  ) {}

  /**
   * Appends a message with the next `seq`. The conversation row is locked for
   * the transaction, so sequence numbers are gapless and follow commit
   * order. A repeated `clientMessageId` answers the first message.
   */
  async send(
    access: ConversationAccess,
    input: SendMessageInput,
  ): Promise<{message: MessageView; created: boolean}> {
    this.checkBody(input.body);
    const {conversationId, userId} = access;
    const clientId = input.clientMessageId ?? null;
    if (clientId !== null) {
      const first = await this.findSent(this.db, access, clientId);
      if (first) return {message: first, created: false};
    }
    await this.checkParent(conversationId, input.parentMessageId);
    return this.db.transaction(async tx => {
      const locked = await conversationQueries.lockConversation(
        tx,
        conversationId,
      );
      if (!locked) throw notFound('Conversation');
      if (clientId !== null) {
        const first = await this.findSent(tx, access, clientId);
        if (first) return {message: first, created: false};
      }
      const seq = locked.lastSeq + 1;
      const at = new Date();
      const view: MessageView = {
        id: randomUUID(),
        conversationId,
        seq,
        senderId: userId,
        body: input.body,
        clientMessageId: clientId,
        parentMessageId: input.parentMessageId?.toLowerCase() ?? null,
        attachments: [],
        createdAt: at,
        editedAt: null,
        deletedAt: null,
      };
      await messageQueries.insertMessage(tx, view);
      await conversationQueries.advanceConversation(
        tx,
        conversationId,
        seq,
        at,
      );
      await memberQueries.advanceReadPosition(tx, conversationId, userId, seq);
      await this.logEvent(tx, access, 'message.created', view, at);
      return {message: view, created: true};
    });
  }

  /** A page of history in ascending `seq`. */
  async list(
    access: ConversationAccess,
    query: {limit?: number; before?: number; after?: number},
  ): Promise<MessageView[]> {
    if (query.before !== undefined && query.after !== undefined) {
      throw ChatError.invalid('before', 'cannot be combined with after');
    }
    const page: HistoryPage = {
      limit: pageLimit(this.config, query.limit),
      before: query.before,
      after: query.after,
    };
    const rows = await messageQueries.listHistory(
      this.db,
      access.conversationId,
      page,
    );
    return rows.map(r => toMessage(r));
  }

  /** One message; a deleted one is answered as its tombstone. */
  async get(access: ConversationAccess, messageId: string) {
    const row = isUuid(messageId)
      ? await messageQueries.findMessage(
          this.db,
          access.conversationId,
          messageId.toLowerCase(),
        )
      : undefined;
    if (!row) throw notFound('Message');
    return toMessage(row);
  }

  /** Replaces the body of the caller's own message. */
  async edit(
    access: ConversationAccess,
    messageId: string,
    body: string,
  ): Promise<MessageView> {
    this.checkBody(body);
    return this.db.transaction(async tx => {
      const message = await this.lockForChange(tx, access, messageId);
      if (message.senderId !== access.userId) {
        throw ChatError.forbidden('Only the author may edit a message.');
      }
      const at = new Date();
      await messageQueries.updateBody(tx, message.id, body, access.userId, at);
      const view = {...message, body, editedAt: at};
      await this.logEvent(tx, access, 'message.updated', view, at);
      return view;
    });
  }

  /** Soft-deletes a message: the author, or a group owner or admin. */
  async remove(access: ConversationAccess, messageId: string): Promise<void> {
    await this.db.transaction(async tx => {
      const message = await this.lockForChange(tx, access, messageId);
      if (message.senderId !== access.userId && !isManager(access)) {
        throw ChatError.forbidden(
          'Only the author or a group owner or admin may delete a message.',
        );
      }
      const at = new Date();
      await messageQueries.markDeleted(tx, message.id, access.userId, at);
      const view = {...message, body: null, deletedAt: at};
      await this.logEvent(tx, access, 'message.deleted', view, at);
    });
  }

  private async lockForChange(
    tx: SqlRunner,
    access: ConversationAccess,
    messageId: string,
  ): Promise<MessageView> {
    const row = isUuid(messageId)
      ? await messageQueries.lockMessage(
          tx,
          access.conversationId,
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
    return message;
  }

  private async findSent(
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
    return row ? toMessage(row) : undefined;
  }

  private async checkParent(conversationId: string, parentId?: string) {
    if (parentId === undefined) return;
    const exists =
      isUuid(parentId) &&
      (await messageQueries.messageExists(
        this.db,
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

  private checkBody(body: string) {
    checkStorable('body', body);
    const max = this.config.limits.maxMessageLength;
    if (body.length > max) {
      throw ChatError.invalid('body', `must be at most ${max} characters`);
    }
  }

  private logEvent(
    tx: SqlRunner,
    access: ConversationAccess,
    type: eventQueries.ChatEventType,
    message: MessageView,
    at: Date,
  ) {
    return eventQueries.appendEvent(tx, {
      tenantId: access.tenantId,
      conversationId: access.conversationId,
      type,
      actorId: access.userId,
      payload: {message},
      createdAt: at,
    });
  }
}

function notFound(what: 'Conversation' | 'Message'): ChatError {
  return ChatError.notFound(
    what === 'Message'
      ? ChatErrorCodes.MESSAGE_NOT_FOUND
      : ChatErrorCodes.CONVERSATION_NOT_FOUND,
    what,
  );
}
