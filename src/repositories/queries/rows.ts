import {Row} from '../chat-db';
import {MemberRole} from '../../types';
import {ConversationView, MemberView, MessageView} from '../../domain';

const MESSAGE_COLUMNS = [
  'id',
  'conversation_id',
  'seq',
  'sender_id',
  'body',
  'client_message_id',
  'parent_message_id',
  'created_at',
  'edited_at',
  'deleted_at',
];

/** What a conversation view reads (named, so a new column changes no result). */
const CONVERSATION_COLUMNS = [
  'id',
  'tenant_id',
  'type',
  'title',
  'external_id',
  'metadata',
  'last_seq',
  'last_message_at',
  'last_activity_at',
  'created_at',
];

/** The conversation view's columns of `alias`. */
export function conversationColumns(alias: string): string {
  return CONVERSATION_COLUMNS.map(c => `${alias}.${c}`).join(', ');
}

/** The message columns of `alias`, each renamed with `prefix`. */
export function messageColumns(alias: string, prefix = ''): string {
  return MESSAGE_COLUMNS.map(c => `${alias}.${c} AS ${prefix}${c}`).join(', ');
}

/**
 * Whether the message `alias` carries live attachments, as column
 * `${prefix}has_attachments` (false when there is no message): readers
 * load attachments only for the messages that have some.
 */
export function hasAttachmentsColumn(alias: string, prefix = ''): string {
  return `EXISTS (SELECT 1 FROM chat_attachments a
    WHERE a.message_id = ${alias}.id AND a.deleted_at IS NULL)
    AS ${prefix}has_attachments`;
}

/** True for the `has_attachments` column of `row` (MySQL answers 0 or 1). */
export function carriesAttachments(row: Row, prefix = ''): boolean {
  return Boolean(Number(row[`${prefix}has_attachments`]));
}

/** MySQL `DATETIME` text, which has no zone: the component stores UTC. */
const ZONELESS_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/;

export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(
    ZONELESS_DATETIME.test(text) ? `${text.replace(' ', 'T')}Z` : text,
  );
}

/** A JSON column's value (MySQL answers JSON as text). */
export function toJson(value: unknown): object | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? JSON.parse(value) : (value as object);
}

/** A nullable numeric column (an aggregate over no rows) as a number. */
export function toOptionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** Maps a message row (optionally with prefixed columns) to its view. */
export function toMessage(row: Row, prefix = ''): MessageView {
  const col = (name: string) => row[prefix + name];
  return {
    id: col('id') as string,
    conversationId: col('conversation_id') as string,
    seq: Number(col('seq')),
    senderId: col('sender_id') as string,
    body: (col('body') as string | null) ?? null,
    clientMessageId: (col('client_message_id') as string | null) ?? null,
    parentMessageId: (col('parent_message_id') as string | null) ?? null,
    attachments: [],
    createdAt: toDate(col('created_at'))!,
    editedAt: toDate(col('edited_at')),
    deletedAt: toDate(col('deleted_at')),
  };
}

export function toMember(row: Row): MemberView {
  return {
    userId: row.user_id as string,
    role: row.role as MemberRole,
    joinedAt: toDate(row.joined_at)!,
    lastReadSeq: Number(row.last_read_seq),
  };
}

/**
 * Maps a conversation row joined with the caller's `my_last_read_seq` and the
 * last message's `lm_`-prefixed columns. Members are filled in by the caller.
 */
export function toConversation(row: Row): ConversationView {
  const lastSeq = Number(row.last_seq);
  return {
    id: row.id as string,
    type: row.type as ConversationView['type'],
    title: (row.title as string | null) ?? null,
    externalId: (row.external_id as string | null) ?? null,
    metadata: toJson(row.metadata),
    createdAt: toDate(row.created_at)!,
    lastMessageAt: toDate(row.last_message_at),
    lastMessage: row.lm_id ? toMessage(row, 'lm_') : null,
    lastSeq,
    unreadCount: Math.max(0, lastSeq - Number(row.my_last_read_seq)),
    members: [],
  };
}
