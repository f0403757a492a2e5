import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {ChatDb, ConversationAccess, memberQueries} from '../repositories';
import {conversationEvent, EventLog} from '../realtime/event-log';
import {ChatUser, ResolvedChatServiceConfig} from '../types';

export interface ReadPosition {
  lastReadSeq: number;
  unreadCount: number;
}

export interface UnreadSummary {
  /** Unread messages over all the caller's conversations. */
  total: number;
  conversations: {conversationId: string; unreadCount: number}[];
  /** Some conversations with unread messages are not listed. */
  truncated: boolean;
}

/** Read positions, unread counts and receipts. */
@injectable({scope: BindingScope.SINGLETON})
export class ReadStateService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_LOG) private events: EventLog,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
  ) {}

  /**
   * Moves the caller's read position forward to `seq`, clamped to the latest
   * message; a lower `seq` leaves it where it is.
   */
  async markRead(
    access: ConversationAccess,
    seq: number,
  ): Promise<ReadPosition> {
    return this.events.transaction(async (tx, log) => {
      // the member row is read under a row lock, after the conversation's
      // shared lock: a member removed meanwhile is not found
      const current = await memberQueries.lockReadPosition(
        tx,
        access.conversationId,
        access.userId,
        access.tenantId,
      );
      if (!current) {
        throw ChatError.notFound(
          ChatErrorCodes.CONVERSATION_NOT_FOUND,
          'Conversation',
        );
      }
      const target = Math.min(seq, current.lastSeq);
      let lastReadSeq = current.lastReadSeq;
      if (target > lastReadSeq) {
        lastReadSeq = target;
        await memberQueries.advanceReadPosition(
          tx,
          access.conversationId,
          access.userId,
          target,
        );
        log.append(
          conversationEvent(access, 'read.updated', {
            userId: access.userId,
            lastReadSeq,
          }),
        );
      }
      return {lastReadSeq, unreadCount: current.lastSeq - lastReadSeq};
    });
  }

  /** Members other than the author whose position is at or past `seq`. */
  async readers(access: ConversationAccess, seq: number, authorId: string) {
    const rows = await memberQueries.listReaders(
      this.db,
      access.conversationId,
      seq,
      authorId,
    );
    return rows.map(r => ({
      userId: r.user_id as string,
      lastReadSeq: Number(r.last_read_seq),
    }));
  }

  /**
   * Unread counts of the caller's conversations that have any, the most
   * recently active first, at most `limits.maxUnreadConversations`. `total`
   * counts them all: summed from the list when it is complete, else by one
   * aggregate query.
   */
  async unread(user: ChatUser): Promise<UnreadSummary> {
    const limit = this.config.limits.maxUnreadConversations;
    const rows = await memberQueries.listUnread(
      this.db,
      user.tenantId,
      user.id,
      limit + 1,
    );
    const truncated = rows.length > limit;
    const conversations = rows.slice(0, limit).map(r => ({
      conversationId: r.conversation_id as string,
      unreadCount: Number(r.unread),
    }));
    const total = truncated
      ? await memberQueries.sumUnread(this.db, user.tenantId, user.id)
      : conversations.reduce((sum, c) => sum + c.unreadCount, 0);
    return {total, conversations, truncated};
  }
}
