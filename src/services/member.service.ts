import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  ChatDb,
  ConversationAccess,
  MemberView,
  SqlRunner,
  conversationQueries,
  ChatEventType,
  memberQueries,
  toMember,
} from '../repositories';
import {
  conversationEvent,
  EventLog,
  EventRecorder,
} from '../realtime/event-log';
import {MemberRole, ResolvedChatServiceConfig} from '../types';
import {
  checkLevel,
  conversationNotFound,
  recheckAccess,
} from './access.service';
import {MemberDetails} from './member-details';
import {checkUserIds, isStorableText} from '../domain/storable-text';

/** Lists, adds, promotes and removes members of a conversation. */
@injectable({scope: BindingScope.SINGLETON})
export class MemberService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.EVENT_LOG) private events: EventLog,
    @inject(ChatServiceBindings.MEMBER_DETAILS) private details: MemberDetails,
  ) {}

  /** The members, with presence (and profiles, when resolvable). */
  async list(access: ConversationAccess): Promise<MemberView[]> {
    const members = await this.listIn(this.db, access.conversationId);
    await this.details.add(access.tenantId, members);
    return members;
  }

  /**
   * Adds users to a group. New members start with the history read, so it
   * is visible but not unread. Users already in the group are left as they are.
   */
  async add(
    access: ConversationAccess,
    userIds: string[],
  ): Promise<MemberView[]> {
    const max = this.config.limits.maxMembersPerRequest;
    if (userIds.length > max) {
      throw ChatError.invalid('userIds', `at most ${max} user ids`);
    }
    checkUserIds('userIds', userIds);
    const members = await this.events.transaction(async (tx, log) => {
      const locked = await conversationQueries.lockConversation(
        tx,
        access.conversationId,
      );
      if (!locked) throw conversationNotFound();
      await recheckAccess(tx, access, 'group-manager');
      const at = new Date();
      const newMembers = [...new Set(userIds)].map(userId => ({
        userId,
        role: 'member' as const,
      }));
      const added = await memberQueries.insertMembers(
        tx,
        {id: access.conversationId, tenantId: access.tenantId},
        newMembers,
        locked.lastSeq,
        access.userId,
        at,
      );
      const all = await this.listIn(tx, access.conversationId);
      if (added.length > 0) {
        const addedSet = new Set(added);
        this.logEvent(log, access, 'member.added', at, {
          members: all.filter(m => addedSet.has(m.userId)),
        });
      }
      return all;
    });
    await this.details.add(access.tenantId, members);
    return members;
  }

  /** Changes a member's role (group owners only). */
  async changeRole(
    access: ConversationAccess,
    userId: string,
    role: MemberRole,
  ): Promise<MemberView> {
    const changed = await this.events.transaction(async (tx, log) => {
      // ordered with the other membership changes of the conversation
      await this.lock(tx, access);
      await recheckAccess(tx, access, 'group-owner');
      const target = await this.findIn(tx, access, userId);
      if (target.role === 'owner' && role !== 'owner') {
        await this.keepAnOwner(tx, access.conversationId);
      }
      await memberQueries.setRole(tx, access.conversationId, userId, role);
      const member = {...target, role};
      this.logEvent(log, access, 'member.updated', new Date(), {member});
      return member;
    });
    // the member view of every answer: presence (and profile) too; a copy,
    // so the logged event keeps its own shape
    const member = {...changed};
    await this.details.add(access.tenantId, [member]);
    return member;
  }

  /**
   * Removes a member: anyone may leave; owners remove anyone, admins remove
   * plain members. When the last owner goes, the longest-standing admin
   * (else member) becomes owner.
   */
  async remove(access: ConversationAccess, userId: string): Promise<void> {
    const leaving = userId === access.userId;
    const level =
      access.type === 'direct' || !leaving ? 'group-manager' : 'member';
    checkLevel(access, level);
    await this.events.transaction(async (tx, log) => {
      await this.lock(tx, access);
      const actor = await recheckAccess(tx, access, level);
      const target = await this.findIn(tx, access, userId);
      if (!leaving && actor.role === 'admin' && target.role !== 'member') {
        throw ChatError.forbidden('An admin may only remove plain members.');
      }
      await memberQueries.deleteMember(tx, access.conversationId, userId);
      const at = new Date();
      this.logEvent(log, access, 'member.removed', at, {userId});
      if (target.role !== 'owner') return;
      if ((await memberQueries.countOwners(tx, access.conversationId)) > 0) {
        return;
      }
      const heir = await memberQueries.findSuccessor(tx, access.conversationId);
      if (heir === undefined) return;
      await memberQueries.setRole(tx, access.conversationId, heir, 'owner');
      const member = await this.findIn(tx, access, heir);
      this.logEvent(log, access, 'member.updated', at, {member});
    });
  }

  /** Locks the conversation's row for a membership change. */
  private async lock(tx: SqlRunner, access: ConversationAccess) {
    const locked = await conversationQueries.lockConversation(
      tx,
      access.conversationId,
    );
    if (!locked) throw conversationNotFound();
  }

  private async keepAnOwner(tx: SqlRunner, conversationId: string) {
    await conversationQueries.lockConversation(tx, conversationId);
    if ((await memberQueries.countOwners(tx, conversationId)) <= 1) {
      throw ChatError.conflict(
        ChatErrorCodes.LAST_OWNER,
        'A group needs an owner: promote another member first.',
      );
    }
  }

  private async findIn(
    q: SqlRunner,
    access: ConversationAccess,
    userId: string,
  ): Promise<MemberView> {
    const row = isStorableText(userId)
      ? await memberQueries.findMember(q, access.conversationId, userId)
      : undefined;
    if (!row) {
      throw ChatError.notFound(ChatErrorCodes.MEMBER_NOT_FOUND, 'Member');
    }
    return toMember(row);
  }

  private async listIn(q: SqlRunner, conversationId: string) {
    const rows = await memberQueries.listMembers(q, [conversationId]);
    return rows.map(toMember);
  }

  private logEvent(
    log: EventRecorder,
    access: ConversationAccess,
    type: ChatEventType,
    at: Date,
    payload: object,
  ) {
    log.append(conversationEvent(access, type, payload, at));
  }
}
