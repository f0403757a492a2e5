import {BindingScope, inject, injectable} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  ActivityCursor,
  ChatDb,
  ConversationAccess,
  ConversationPatch,
  ConversationView,
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
import {ChatUser, ConversationType, ResolvedChatServiceConfig} from '../types';
import {isUuid} from './access.service';
import {MemberDetails} from './member-details';
import {decodeCursor, encodeCursor, pageLimit} from './paging';
import {checkStorable} from './storable-text';
import {toConversationViews} from './conversation-views';

export interface CreateConversationInput {
  type: ConversationType;
  memberIds?: string[];
  title?: string;
  externalId?: string;
  metadata?: object;
}

export interface ConversationPage {
  items: ConversationView[];
  nextCursor: string | null;
}

const EXTERNAL_ID_INDEX = 'chat_conversations_external_id_uq';

/** Creates, lists and updates conversations. */
@injectable({scope: BindingScope.SINGLETON})
export class ConversationService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.EVENT_LOG) private events: EventLog,
    @inject(ChatServiceBindings.MEMBER_DETAILS) private details: MemberDetails,
  ) {}

  /**
   * Creates a conversation. A direct one is unique per pair of users: asking
   * again answers the existing one with `created: false`.
   */
  async create(
    user: ChatUser,
    input: CreateConversationInput,
  ): Promise<{conversation: ConversationView; created: boolean}> {
    checkStorable('metadata', input.metadata);
    const {id, created} =
      input.type === 'direct'
        ? await this.createDirect(user, input)
        : await this.createGroup(user, input);
    return {conversation: await this.get(user, id), created};
  }

  /** The caller's conversations, newest activity first. */
  async list(
    user: ChatUser,
    query: {limit?: number; cursor?: string; externalId?: string},
  ): Promise<ConversationPage> {
    const limit = pageLimit(this.config, query.limit);
    checkStorable('externalId', query.externalId);
    const after = query.cursor
      ? decodeCursor<ActivityCursor>(query.cursor, 'cursor', parseActivity)
      : undefined;
    const rows = await conversationQueries.listViews(
      this.db,
      user.tenantId,
      user.id,
      {limit: limit + 1, after, externalId: query.externalId},
    );
    const more = rows.length > limit;
    const items = await toConversationViews(this.db, rows.slice(0, limit));
    await this.details.add(
      user.tenantId,
      items.flatMap(c => c.members),
    );
    const last = rows[limit - 1];
    return {
      items,
      nextCursor:
        more && last
          ? encodeCursor([
              new Date(last.last_activity_at as string).toISOString(),
              last.id,
            ])
          : null,
    };
  }

  /** One conversation as the caller sees it. */
  async get(user: ChatUser, conversationId: string): Promise<ConversationView> {
    const row = await conversationQueries.findView(
      this.db,
      user.tenantId,
      user.id,
      conversationId,
    );
    if (!row) {
      throw ChatError.notFound(
        ChatErrorCodes.CONVERSATION_NOT_FOUND,
        'Conversation',
      );
    }
    const [view] = await toConversationViews(this.db, [row]);
    await this.details.add(user.tenantId, view.members);
    return view;
  }

  /** Changes title, externalId or metadata (group owners and admins). */
  async update(
    access: ConversationAccess,
    patch: ConversationPatch,
  ): Promise<ConversationView> {
    checkStorable('metadata', patch.metadata);
    if (patch.title !== undefined) checkTitle(patch.title);
    const at = new Date();
    await this.events
      .transaction(async (tx, log) => {
        await conversationQueries.updateConversation(
          tx,
          access.conversationId,
          patch,
          access.userId,
          at,
        );
        log.append(
          conversationEvent(
            access,
            'conversation.updated',
            {changes: patch},
            at,
          ),
        );
      })
      .catch(rethrowExternalIdTaken);
    return this.get(
      {id: access.userId, tenantId: access.tenantId},
      access.conversationId,
    );
  }

  private async createDirect(user: ChatUser, input: CreateConversationInput) {
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
    return this.events.transaction(async (tx, log) => {
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
      await this.addInitialMembers(tx, log, user, id, members, at);
      return {id, created: true};
    });
  }

  private async createGroup(user: ChatUser, input: CreateConversationInput) {
    checkTitle(input.title);
    const others = [...new Set(input.memberIds ?? [])].filter(
      u => u !== user.id,
    );
    if (others.length > this.config.limits.maxMembersPerRequest) {
      throw ChatError.invalid(
        'memberIds',
        `at most ${this.config.limits.maxMembersPerRequest} members`,
      );
    }
    const id = randomUUID();
    const at = new Date();
    await this.events
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
        await this.addInitialMembers(tx, log, user, id, members, at);
      })
      .catch(rethrowExternalIdTaken);
    return {id, created: true};
  }

  private async addInitialMembers(
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
}

function checkTitle(title: string | null | undefined) {
  if (typeof title !== 'string' || title.trim() === '') {
    throw ChatError.invalid('title', 'a group conversation needs a title');
  }
}

function parseActivity(value: unknown): ActivityCursor | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value;
  const activityAt = new Date(at);
  const year = activityAt.getUTCFullYear(); // NaN for an invalid date
  if (typeof at !== 'string' || !isUuid(id) || !(year >= 1 && year <= 9999)) {
    return undefined;
  }
  return {activityAt, id};
}

function rethrowExternalIdTaken(err: unknown): never {
  if (isUniqueViolation(err, EXTERNAL_ID_INDEX)) {
    throw ChatError.conflict(
      ChatErrorCodes.EXTERNAL_ID_TAKEN,
      'Another conversation of this tenant already has that externalId.',
    );
  }
  throw err;
}
