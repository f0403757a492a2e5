import {ConversationType, MemberRole} from '../types';

/** A message as the API answers it. */
export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  body: string | null;
  clientMessageId: string | null;
  parentMessageId: string | null;
  attachments: AttachmentView[];
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** An attachment's metadata as the API answers it. */
export interface AttachmentView {
  id: string;
  conversationId: string;
  /** The message that carries it; null until one does. */
  messageId: string | null;
  uploaderId: string;
  fileName: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  createdAt: Date;
}

/** One entry of an attachment's download audit. */
export interface AttachmentDownloadView {
  id: string;
  attachmentId: string;
  userId: string;
  downloadedAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** Bytes sent. */
  bytes: number;
  /** The range served (`bytes=0-99`); null for the whole file. */
  range: string | null;
}

/** A member of a conversation as the API answers it. */
export interface MemberView {
  userId: string;
  role: MemberRole;
  joinedAt: Date;
  lastReadSeq: number;
}

/** A conversation as the API answers it, seen by one member. */
export interface ConversationView {
  id: string;
  type: ConversationType;
  title: string | null;
  externalId: string | null;
  metadata: object | null;
  createdAt: Date;
  lastMessageAt: Date | null;
  lastMessage: MessageView | null;
  lastSeq: number;
  unreadCount: number;
  members: MemberView[];
}

/** A conversation row and the caller's membership in it. */
export interface ConversationAccess {
  conversationId: string;
  tenantId: string;
  type: ConversationType;
  userId: string;
  role: MemberRole;
  lastReadSeq: number;
  lastSeq: number;
}

/** The fields of a conversation a manager may change; `undefined` keeps one. */
export interface ConversationPatch {
  title?: string | null;
  externalId?: string | null;
  metadata?: object | null;
}
