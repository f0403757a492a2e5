// The API's shapes as clients receive them (JSON: dates are ISO strings).
// Declared here, not imported from the server code, so that the client
// loads in a browser with nothing else.

export type ConversationType = 'direct' | 'group';
export type MemberRole = 'owner' | 'admin' | 'member';

/** A list answer: `{items}`. */
export interface ItemList<T> {
  items: T[];
}

/** A list paged by an opaque cursor; `nextCursor` is null on the last page. */
export interface Page<T> extends ItemList<T> {
  nextCursor: string | null;
}

export interface Attachment {
  id: string;
  conversationId: string;
  messageId: string | null;
  uploaderId: string;
  fileName: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  createdAt: string;
}

export interface AttachmentDownload {
  id: string;
  attachmentId: string;
  userId: string;
  downloadedAt: string;
  ip: string | null;
  userAgent: string | null;
  bytes: number;
  /** The range served (`bytes=0-99`), or null for the whole file. */
  range: string | null;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  /** Null once deleted (a tombstone). */
  body: string | null;
  clientMessageId: string | null;
  parentMessageId: string | null;
  attachments: Attachment[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface Member {
  userId: string;
  role: MemberRole;
  joinedAt: string;
  lastReadSeq: number;
  online?: boolean;
  lastSeenAt?: string | null;
  /**
   * From the host's user-profile resolver, when it binds one; null when it
   * has no profile of the user.
   */
  profile?: MemberProfile | null;
}

/** Display data of a user, from the host's user-profile resolver. */
export interface MemberProfile {
  displayName?: string;
  avatarUrl?: string;
  [key: string]: unknown;
}

export interface Conversation {
  id: string;
  type: ConversationType;
  title: string | null;
  externalId: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: string;
  lastMessageAt: string | null;
  lastMessage: Message | null;
  lastSeq: number;
  unreadCount: number;
  members: Member[];
}

export type CreateConversationInput =
  | {type: 'direct'; memberIds: [string]}
  | {
      type: 'group';
      title: string;
      memberIds?: string[];
      externalId?: string;
      metadata?: Record<string, unknown>;
    };

export interface UpdateConversationInput {
  title?: string;
  externalId?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface SendMessageInput {
  /** Required unless `attachmentIds` is given. */
  body?: string;
  /** Generated when absent, so that a retried send is stored once. */
  clientMessageId?: string;
  parentMessageId?: string;
  attachmentIds?: string[];
}

/** History by `seq`: `before` or `after` (not both), and `limit`. */
export interface HistoryQuery {
  before?: number;
  after?: number;
  limit?: number;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface ConversationQuery extends PageQuery {
  externalId?: string;
}

export interface ReadPosition {
  lastReadSeq: number;
  unreadCount: number;
}

export interface Receipt {
  userId: string;
  lastReadSeq: number;
}

export interface UnreadCounts {
  /** Unread messages over all conversations, listed or not. */
  total: number;
  /** The most recently active conversations with unread messages. */
  conversations: Array<{conversationId: string; unreadCount: number}>;
  /** Some conversations with unread messages are not listed. */
  truncated: boolean;
}
