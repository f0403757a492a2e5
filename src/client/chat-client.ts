import {
  ByteRangeRequest,
  downloadOf,
  DownloadedAttachment,
  rangeHeader,
} from './download.js';
import type {SyncPage, SyncQuery} from './events.js';
import {ChatEventStream, EventStreamOptions} from './event-stream.js';
import {HttpClient, HttpOptions, Query, seg} from './http.js';
import {randomId} from './ids.js';
import type {
  Attachment,
  AttachmentDownload,
  Conversation,
  ConversationQuery,
  CreateConversationInput,
  HistoryQuery,
  ItemList,
  Member,
  MemberRole,
  Message,
  Page,
  PageQuery,
  ReadPosition,
  Receipt,
  SendMessageInput,
  UnreadCounts,
  UpdateConversationInput,
} from './types.js';

/** Options of {@link ChatClient}: base URL, token, and optionally fetch/retry. */
export type ChatClientOptions = HttpOptions;

/** Cancels an upload or a download. */
export interface TransferOptions {
  signal?: AbortSignal;
}

const conversation = (id: string) => `/conversations/${seg(id)}`;
const message = (id: string, messageId: string) =>
  `${conversation(id)}/messages/${seg(messageId)}`;

/**
 * A typed client of every endpoint of loopback4-chat-service, for browsers
 * and Node 20+, with nothing but the platform's `fetch`. Errors are
 * `ChatApiError` (status and the server's `code`) or `ChatNetworkError`.
 * Reads, `sendMessage` (made idempotent by its `clientMessageId`) and
 * `markRead` are retried on network failures and 408/429/502/503/504.
 */
export class ChatClient {
  private readonly http: HttpClient;

  constructor(options: ChatClientOptions) {
    this.http = new HttpClient(options);
  }

  /** A direct conversation (the existing one, if any) or a group. */
  createConversation(input: CreateConversationInput): Promise<Conversation> {
    return this.http.json('POST', '/conversations', {json: input});
  }

  /** The direct conversation with `userId`, created if missing. */
  direct(userId: string): Promise<Conversation> {
    return this.createConversation({type: 'direct', memberIds: [userId]});
  }

  /** The caller's conversations, newest activity first. */
  listConversations(query?: ConversationQuery): Promise<Page<Conversation>> {
    return this.get('/conversations', {...query});
  }

  getConversation(id: string): Promise<Conversation> {
    return this.get(conversation(id));
  }

  updateConversation(
    id: string,
    changes: UpdateConversationInput,
  ): Promise<Conversation> {
    return this.http.json('PATCH', conversation(id), {json: changes});
  }

  listMembers(id: string): Promise<ItemList<Member>> {
    return this.get(`${conversation(id)}/members`);
  }

  /** Answers all the members. */
  addMembers(id: string, userIds: string[]): Promise<ItemList<Member>> {
    const path = `${conversation(id)}/members`;
    return this.http.json('POST', path, {json: {userIds}});
  }

  changeRole(id: string, userId: string, role: MemberRole): Promise<Member> {
    const path = `${conversation(id)}/members/${seg(userId)}`;
    return this.http.json('PATCH', path, {json: {role}});
  }

  /** Removes a member, or leaves (`userId` is the caller). */
  async removeMember(id: string, userId: string): Promise<void> {
    await this.http.send(
      'DELETE',
      `${conversation(id)}/members/${seg(userId)}`,
    );
  }

  /**
   * Sends a message. Without a `clientMessageId` one is generated, so a
   * retry after a lost answer returns the stored message, never a copy.
   */
  sendMessage(id: string, input: SendMessageInput): Promise<Message> {
    const json = {
      ...input,
      clientMessageId: input.clientMessageId ?? randomId(),
    };
    const path = `${conversation(id)}/messages`;
    return this.http.json('POST', path, {json, idempotent: true});
  }

  /** History, ascending by `seq`; no cursor: the newest `limit` messages. */
  listMessages(id: string, query?: HistoryQuery): Promise<ItemList<Message>> {
    return this.get(`${conversation(id)}/messages`, {...query});
  }

  getMessage(id: string, messageId: string): Promise<Message> {
    return this.get(message(id, messageId));
  }

  editMessage(id: string, messageId: string, body: string): Promise<Message> {
    return this.http.json('PATCH', message(id, messageId), {json: {body}});
  }

  /** Soft delete: the message stays as a tombstone. */
  async deleteMessage(id: string, messageId: string): Promise<void> {
    await this.http.send('DELETE', message(id, messageId));
  }

  /** Moves the caller's read position forward to `seq`. */
  markRead(id: string, seq: number): Promise<ReadPosition> {
    const path = `${conversation(id)}/read`;
    return this.http.json('POST', path, {json: {seq}, idempotent: true});
  }

  /** The members (author excluded) who have read the message. */
  receipts(id: string, messageId: string): Promise<ItemList<Receipt>> {
    return this.get(`${message(id, messageId)}/receipts`);
  }

  unread(): Promise<UnreadCounts> {
    return this.get('/unread');
  }

  /** Uploads a file (a `Blob` or `File`); send its id in `attachmentIds`. */
  uploadAttachment(
    id: string,
    file: Blob,
    fileName?: string,
    options: TransferOptions = {},
  ): Promise<Attachment> {
    const form = new FormData();
    const name = fileName ?? (file as {name?: string}).name ?? 'file';
    form.append('file', file, name);
    const path = `${conversation(id)}/attachments`;
    return this.http.json('POST', path, {body: form, signal: options.signal});
  }

  getAttachment(attachmentId: string): Promise<Attachment> {
    return this.get(`/attachments/${seg(attachmentId)}`);
  }

  /**
   * The bytes; a `range` answers part of them (206): `{start, end?}` (byte
   * offsets, `end` inclusive) or a `Range` header value such as `bytes=0-99`.
   */
  async downloadAttachment(
    attachmentId: string,
    options: TransferOptions & {range?: string | ByteRangeRequest} = {},
  ): Promise<DownloadedAttachment> {
    const headers: Record<string, string> = {};
    if (options.range) headers.Range = rangeHeader(options.range);
    const path = `/attachments/${seg(attachmentId)}/content`;
    const response = await this.http.send('GET', path, {
      headers,
      signal: options.signal,
      idempotent: true,
    });
    return downloadOf(response);
  }

  /** The download audit, newest first. */
  listDownloads(
    attachmentId: string,
    query?: PageQuery,
  ): Promise<Page<AttachmentDownload>> {
    return this.get(`/attachments/${seg(attachmentId)}/downloads`, {...query});
  }

  /** Tells the other members the caller is (or stopped) typing. */
  async typing(id: string, typing: boolean): Promise<void> {
    await this.http.send('POST', `${conversation(id)}/typing`, {
      json: {typing},
    });
  }

  /**
   * The caller's events as JSON, after `since`. A `since` older than the
   * server's retention rejects with a `ChatApiError` for which
   * `isCursorExpired` holds: reload, then sync without `since`.
   */
  sync(query: SyncQuery = {}): Promise<SyncPage> {
    const since = query.since === undefined ? undefined : String(query.since);
    return this.get('/sync', {since, limit: query.limit});
  }

  /** Opens the live event stream (closed by its `close()`). */
  events(options?: EventStreamOptions): ChatEventStream {
    return new ChatEventStream(this.http, options);
  }

  private get<T>(path: string, query?: Query): Promise<T> {
    return this.http.json<T>('GET', path, {query, idempotent: true});
  }
}
