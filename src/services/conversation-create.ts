import {randomUUID} from 'node:crypto';
import {ChatError, ChatErrorCodes} from '../errors';
import {
  conversationQueries,
  isUniqueViolation,
  memberQueries,
  SqlRunner,
} from '../repositories';
import {
  conversationEvent,
  EventLog,
  EventRecorder,
} from '../realtime/event-log';
import {ChatUser, ConversationType} from '../types';

export interface CreateConversationInput {
  type: ConversationType;
  memberIds?: string[];
  title?: string;
  externalId?: string;
  metadata?: object;
}

const EXTERNAL_ID_INDEX = 'chat_conversations_external_id_uq';

/**
 * Creates the direct conversation of the caller and one other user, or
 * answers the existing one (unique per pair and tenant).
 */
export async function createDirect(
  events: EventLog,
  user: ChatUser,
  input: CreateConversationInput,
) {
  const memberIds = input.memberIds ?? [];
  if (memberIds.length !== 1) {
    throw ChatError.invalid(
      'memberIds',
      'a direct conversation takes exactly one other user id',
    );
  }
  const other = memberIds[0];
  if (other === user.id) {
    throw ChatError.invalid(
      'memberIds',
      'a direct conversation needs another user',
    );
  }
  for (const field of ['title', 'externalId'] as const) {
    if (input[field] !== undefined) {
      throw ChatError.invalid(field, 'only a group conversation has one');
    }
  }
  const directKey = JSON.stringify([user.id, other].sort());
  return events.transaction(async (tx, log) => {
    const id = randomUUID();
    const at = new Date();
    const inserted = await conversationQueries.insertConversation(tx, {
      id,
      tenantId: user.tenantId,
      type: 'direct',
      title: null,
      externalId: null,
      metadata: input.metadata ?? null,
      directKey,
      createdBy: user.id,
      createdAt: at,
    });
    if (!inserted) {
      const existing = await conversationQueries.findDirectId(
        tx,
        user.tenantId,
        directKey,
      );
      return {id: existing!, created: false};
    }
    const members = [user.id, other].map(userId => ({
      userId,
      role: 'member' as const,
    }));
    await addInitialMembers(tx, log, user, id, members, at);
    return {id, created: true};
  });
}

/** Creates a group owned by the caller. */
export async function createGroup(
  events: EventLog,
  maxMembers: number,
  user: ChatUser,
  input: CreateConversationInput,
) {
  checkTitle(input.title);
  const others = [...new Set(input.memberIds ?? [])].filter(u => u !== user.id);
  if (others.length > maxMembers) {
    throw ChatError.invalid('memberIds', `at most ${maxMembers} members`);
  }
  const id = randomUUID();
  const at = new Date();
  await events
    .transaction(async (tx, log) => {
      await conversationQueries.insertConversation(tx, {
        id,
        tenantId: user.tenantId,
        type: 'group',
        title: input.title!,
        externalId: input.externalId ?? null,
        metadata: input.metadata ?? null,
        directKey: null,
        createdBy: user.id,
        createdAt: at,
      });
      const members = [
        {userId: user.id, role: 'owner' as const},
        ...others.map(userId => ({userId, role: 'member' as const})),
      ];
      await addInitialMembers(tx, log, user, id, members, at);
    })
    .catch(rethrowExternalIdTaken);
  return {id, created: true};
}

async function addInitialMembers(
  tx: SqlRunner,
  log: EventRecorder,
  user: ChatUser,
  conversationId: string,
  members: memberQueries.NewMember[],
  at: Date,
) {
  await memberQueries.insertMembers(
    tx,
    {id: conversationId, tenantId: user.tenantId},
    members,
    0,
    user.id,
    at,
  );
  const added = members.map(m => ({...m, joinedAt: at, lastReadSeq: 0}));
  log.append(
    conversationEvent(
      {tenantId: user.tenantId, conversationId, userId: user.id},
      'member.added',
      {members: added},
      at,
    ),
  );
}

/** Throws a 422 unless `title` is a non-blank string. */
export function checkTitle(title: string | null | undefined) {
  if (typeof title !== 'string' || title.trim() === '') {
    throw ChatError.invalid('title', 'a group conversation needs a title');
  }
}

/** Maps a duplicate `externalId` to 409 `EXTERNAL_ID_TAKEN`. */
export function rethrowExternalIdTaken(err: unknown): never {
  if (isUniqueViolation(err, EXTERNAL_ID_INDEX)) {
    throw ChatError.conflict(
      ChatErrorCodes.EXTERNAL_ID_TAKEN,
      'Another conversation of this tenant already has that externalId.',
    );
  }
  throw err;
}
