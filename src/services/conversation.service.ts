import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  ActivityCursor,
  ChatDb,
  ConversationAccess,
  ConversationPatch,
  ConversationView,
  conversationQueries,
} from '../repositories';
import {conversationEvent, EventLog} from '../realtime/event-log';
import {ChatUser, ResolvedChatServiceConfig} from '../types';
import {conversationNotFound, isUuid, recheckAccess} from './access.service';
import {MemberDetails} from './member-details';
import {decodeCursor, encodeCursor, pageLimit} from '../domain';
import {
  checkMetadataLength,
  checkStorable,
  checkUserIds,
} from '../domain/storable-text';
import {
  checkTitle,
  createDirect,
  createGroup,
  CreateConversationInput,
  rethrowExternalIdTaken,
} from './conversation-create';
import {toConversationViews} from './conversation-views';

export interface ConversationPage {
  items: ConversationView[];
  nextCursor: string | null;
}

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
    checkMetadataLength(input.metadata);
    checkUserIds('memberIds', input.memberIds ?? []);
    const {id, created} =
      input.type === 'direct'
        ? await createDirect(this.events, user, input)
        : await createGroup(
            this.events,
            this.config.limits.maxMembersPerRequest,
            user,
            input,
          );
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
    checkMetadataLength(patch.metadata);
    if (patch.title !== undefined) checkTitle(patch.title);
    const at = new Date();
    await this.events
      .transaction(async (tx, log) => {
        // the lock of membership changes: the role is re-checked under it
        const locked = await conversationQueries.lockConversation(
          tx,
          access.conversationId,
        );
        if (!locked) throw conversationNotFound();
        await recheckAccess(tx, access, 'group-manager');
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
