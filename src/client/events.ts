import type {Member, Message, UpdateConversationInput} from './types.js';

/** What every event carries. */
interface EventBase<T extends string> {
  /** The log position (the SSE `id:` and `/sync` cursor); null if ephemeral. */
  id: number;
  type: T;
  conversationId: string;
  createdAt: string;
  actorId: string | null;
}

export type MessageEventType =
  'message.created' | 'message.updated' | 'message.deleted';

/** A message was sent, edited or deleted (a tombstone: `body: null`). */
export interface ChatMessageEvent<
  T extends MessageEventType = MessageEventType,
> extends EventBase<T> {
  message: Message;
}

export interface MemberAddedEvent extends EventBase<'member.added'> {
  members: Member[];
}

export interface MemberRemovedEvent extends EventBase<'member.removed'> {
  userId: string;
}

export interface MemberUpdatedEvent extends EventBase<'member.updated'> {
  member: Member;
}

export interface ReadUpdatedEvent extends EventBase<'read.updated'> {
  userId: string;
  lastReadSeq: number;
}

export interface ConversationUpdatedEvent extends EventBase<'conversation.updated'> {
  changes: UpdateConversationInput;
}

/** Ephemeral: delivered live to the other members, never logged. */
export interface TypingEvent extends Omit<
  EventBase<'typing'>,
  'id' | 'actorId'
> {
  id: null;
  userId: string;
  typing: boolean;
}

/** Ephemeral: a user's first stream opened or last one closed. */
export interface PresenceEvent extends Omit<
  EventBase<'presence'>,
  'id' | 'conversationId' | 'actorId'
> {
  id: null;
  conversationId: null;
  userId: string;
  online: boolean;
  lastSeenAt: string | null;
}

/** Events of the log: replayed on reconnect, answered by `/sync`. */
export type LoggedChatEvent =
  | ChatMessageEvent<'message.created'>
  | ChatMessageEvent<'message.updated'>
  | ChatMessageEvent<'message.deleted'>
  | MemberAddedEvent
  | MemberRemovedEvent
  | MemberUpdatedEvent
  | ReadUpdatedEvent
  | ConversationUpdatedEvent;

/** Every event of `GET /events`, discriminated by `type`. */
export type ChatEvent = LoggedChatEvent | TypingEvent | PresenceEvent;

export type ChatEventType = ChatEvent['type'];

/** The event of one type, e.g. `ChatEventOf<'read.updated'>`. */
export type ChatEventOf<T extends ChatEventType> = Extract<
  ChatEvent,
  {type: T}
>;

/** `GET /sync`: `nextCursor` is never null, keep polling with it. */
export interface SyncPage {
  items: LoggedChatEvent[];
  nextCursor: string;
}

export interface SyncQuery {
  since?: string | number;
  limit?: number;
}
