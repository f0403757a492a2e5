import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  ChatDb,
  ConversationAccess,
  memberQueries,
  SqlRunner,
} from '../repositories';
import {ChatUser} from '../types';

/**
 * What an operation requires of the caller: membership, or for operations
 * that only make sense in groups, the role of owner or admin, or owner.
 */
export type AccessLevel = 'member' | 'group-manager' | 'group-owner';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid UUID. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The single place that decides who may act on a conversation. */
@injectable({scope: BindingScope.SINGLETON})
export class AccessService {
  constructor(@inject(ChatServiceBindings.DATABASE) private db: ChatDb) {}

  /**
   * Resolves the caller's membership. Non-members (and other tenants) get a
   * not-found error, so a conversation's existence is never revealed.
   */
  async require(
    user: ChatUser,
    conversationId: string,
    level: AccessLevel = 'member',
  ): Promise<ConversationAccess> {
    const access = isUuid(conversationId)
      ? await memberQueries.findAccess(
          this.db,
          user.tenantId,
          user.id,
          conversationId.toLowerCase(),
        )
      : undefined;
    if (!access) throw conversationNotFound();
    checkLevel(access, level);
    return access;
  }
}

/**
 * Re-checks, inside a writing transaction and after the conversation's row
 * is locked (shared or for update), that the caller still holds `level`:
 * the membership the interceptor read may have been removed, or the role
 * changed, while the request waited for the lock. Answers the access with
 * the current role; throws what the interceptor throws (404, 403).
 */
export async function recheckAccess(
  tx: SqlRunner,
  access: ConversationAccess,
  level: AccessLevel = 'member',
): Promise<ConversationAccess> {
  const member = await memberQueries.lockMember(
    tx,
    access.conversationId,
    access.userId,
    access.tenantId,
  );
  if (!member) throw conversationNotFound();
  const current = {...access, role: member.role};
  checkLevel(current, level);
  return current;
}

/** The 404 of a conversation the caller is not (or no longer) in. */
export function conversationNotFound(): ChatError {
  return ChatError.notFound(
    ChatErrorCodes.CONVERSATION_NOT_FOUND,
    'Conversation',
  );
}

/** Throws unless `access` satisfies `level`. */
export function checkLevel(access: ConversationAccess, level: AccessLevel) {
  if (level === 'member') return;
  if (access.type === 'direct') {
    throw new ChatError(
      'invalid',
      ChatErrorCodes.DIRECT_CONVERSATION,
      'A direct conversation has exactly two members and no roles.',
    );
  }
  const allowed =
    level === 'group-owner'
      ? access.role === 'owner'
      : access.role === 'owner' || access.role === 'admin';
  if (!allowed) {
    throw ChatError.forbidden(
      level === 'group-owner'
        ? 'Only an owner of the group may do this.'
        : 'Only an owner or admin of the group may do this.',
    );
  }
}

/** True when the member is an owner or admin of a group. */
export function isManager(access: ConversationAccess): boolean {
  return (
    access.type === 'group' &&
    (access.role === 'owner' || access.role === 'admin')
  );
}
