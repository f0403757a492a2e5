import {BindingScope, inject, injectable} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import {ChatError} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  attachmentQueries,
  carriesAttachments,
  ChatDb,
  ConversationAccess,
  isUniqueViolation,
  HistoryPage,
  MessageView,
  messageQueries,
  NewMessage,
  toMessage,
} from '../repositories';
import {EventLog} from '../realtime/event-log';
import {ResolvedChatServiceConfig} from '../types';
import {isManager, isUuid} from './access.service';
import {attachUploads, bodyOf, withAttachments} from './attachment-views';
import {MessageHooks} from './message-hooks';
import {
  checkAuthor,
  checkParent,
  findSent,
  hookContext,
  lockForChange,
  messageEvent,
  messageOf,
  notFound,
} from './message-lookups';
import {pageLimit} from '../domain';
import {characterLength, checkStorable} from '../domain/storable-text';

/** The unique index that makes `clientMessageId` idempotent. */
const CLIENT_ID_INDEX = 'chat_messages_client_id_uq';

export interface SendMessageInput {
  /** Required unless `attachmentIds` is non-empty (then stored as ''). */
  body?: string;
  clientMessageId?: string;
  parentMessageId?: string;
  /** The sender's uploads to this conversation that no message carries. */
  attachmentIds?: string[];
}

/** Sends, reads, edits and deletes messages. */
@injectable({scope: BindingScope.SINGLETON})
export class MessageService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.EVENT_LOG) private events: EventLog,
    @inject(ChatServiceBindings.MESSAGE_HOOKS) private hooks: MessageHooks,
  ) {}

  /**
   * Appends a message with the next `seq`. The conversation row is locked for
   * the transaction (on PostgreSQL, without attachments, a single statement),
   * so sequence numbers are gapless and follow commit order. A repeated
   * `clientMessageId` answers the first message: found
   * before the hooks run, or, when a concurrent send with it commits first,
   * by the unique index that then rolls this one back.
   */
  async send(
    access: ConversationAccess,
    input: SendMessageInput,
  ): Promise<{message: MessageView; created: boolean}> {
    let body = bodyOf(input);
    this.checkBody(body);
    const {conversationId, userId} = access;
    const clientId = input.clientMessageId ?? null;
    const sentBefore = async () =>
      clientId === null ? undefined : findSent(this.db, access, clientId);
    const first = await sentBefore();
    if (first) return {message: first, created: false};
    await checkParent(this.db, conversationId, input.parentMessageId);
    const context = hookContext(access, 'create');
    body = (await this.hooks.beforeSave({body}, context)).body;
    this.checkBody(body);
    const draft: Omit<NewMessage, 'seq'> = {
      id: randomUUID(),
      conversationId,
      senderId: userId,
      body,
      clientMessageId: clientId,
      parentMessageId: input.parentMessageId?.toLowerCase() ?? null,
      createdAt: new Date(),
    };
    let message: MessageView;
    try {
      message =
        this.db.dialect === 'postgres' && !input.attachmentIds?.length
          ? await this.appendAlone(access, draft)
          : await this.events.transaction(async (tx, log) => {
              const seq = await messageQueries.appendMessage(
                tx,
                draft,
                access.tenantId,
              );
              if (seq === undefined) throw notFound('Conversation');
              const view = messageOf(draft, seq);
              await attachUploads(tx, view, input.attachmentIds);
              log.append(
                messageEvent(access, 'message.created', view, view.createdAt),
              );
              return view;
            });
    } catch (err) {
      if (!isUniqueViolation(err, CLIENT_ID_INDEX)) throw err;
      const winner = await sentBefore();
      if (!winner) throw err;
      return {message: winner, created: false};
    }
    this.hooks.afterSave(message, context);
    return {message, created: true};
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
    const messages = rows.map(r => toMessage(r));
    // one query for the few that carry attachments, none for a plain page
    await withAttachments(
      this.db,
      messages.filter((_, i) => carriesAttachments(rows[i])),
    );
    return messages;
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
    const [message] = await withAttachments(this.db, [toMessage(row)]);
    return message;
  }

  /**
   * Replaces the body of the caller's own message. The before-save hooks
   * run first, holding no lock nor pooled connection (a slow hook delays
   * only this edit); the author, the membership and the tombstone are
   * checked again under the locks the edit then takes.
   */
  async edit(
    access: ConversationAccess,
    messageId: string,
    body: string,
  ): Promise<MessageView> {
    this.checkBody(body);
    checkAuthor(access, await this.get(access, messageId));
    const context = hookContext(access, 'edit');
    body = (await this.hooks.beforeSave({body}, context)).body;
    this.checkBody(body);
    const edited = await this.events.transaction(async (tx, log) => {
      const {message} = await lockForChange(tx, access, messageId);
      checkAuthor(access, message);
      const at = new Date();
      await messageQueries.updateBody(tx, message.id, body, access.userId, at);
      const view = {...message, body, editedAt: at};
      await withAttachments(tx, [view]);
      log.append(messageEvent(access, 'message.updated', view, at));
      return view;
    });
    this.hooks.afterSave(edited, context);
    return edited;
  }

  /** Soft-deletes a message: the author, or a group owner or admin. */
  async remove(access: ConversationAccess, messageId: string): Promise<void> {
    await this.events.transaction(async (tx, log) => {
      const locked = await lockForChange(tx, access, messageId);
      const message = locked.message;
      if (message.senderId !== access.userId && !isManager(locked.access)) {
        throw ChatError.forbidden(
          'Only the author or a group owner or admin may delete a message.',
        );
      }
      const at = new Date();
      await messageQueries.markDeleted(tx, message.id, access.userId, at);
      await attachmentQueries.deleteForMessage(
        tx,
        message.id,
        access.userId,
        at,
      );
      const view = {...message, body: null, deletedAt: at};
      log.append(messageEvent(access, 'message.deleted', view, at));
    });
  }

  /**
   * PostgreSQL, no attachments: the message and its event in one statement,
   * without the round trips of a transaction.
   */
  private appendAlone(
    access: ConversationAccess,
    draft: Omit<NewMessage, 'seq'>,
  ): Promise<MessageView> {
    return this.events.statement(async db => {
      // the statement fills in the event's seq
      const view = messageOf(draft, 0);
      const event = messageEvent(
        access,
        'message.created',
        view,
        view.createdAt,
      );
      const seq = await messageQueries.appendMessageWithEvent(db, draft, event);
      if (seq === undefined) throw notFound('Conversation');
      return {...view, seq};
    });
  }

  private checkBody(body: string) {
    checkStorable('body', body);
    const max = this.config.limits.maxMessageLength;
    if (characterLength(body) > max) {
      throw ChatError.invalid('body', `must be at most ${max} characters`);
    }
  }
}
