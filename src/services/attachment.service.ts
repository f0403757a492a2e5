import {BindingScope, inject, injectable} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {
  attachmentQueries,
  AttachmentView,
  ChatDb,
  ConversationAccess,
  conversationQueries,
  StoredAttachment,
} from '../repositories';
import {
  AttachmentStorage,
  ByteRange,
  ChatLogger,
  ChatUser,
  ResolvedChatServiceConfig,
} from '../types';
import {
  AccessService,
  conversationNotFound,
  isManager,
  isUuid,
  recheckAccess,
} from './access.service';
import {
  Download,
  DownloadClient,
  downloadPage,
  DownloadPage,
  downloadRecord,
  MissingContentLog,
  parseDownloadCursor,
  storageFailure,
  toView,
} from './attachment-records';
import {IncomingFile, receiveFile} from './attachment-upload';
import {StorageOutage} from './storage-outage';
import {decodeCursor, pageLimit} from '../domain';

/** Uploads, metadata, content and the download audit of attachments. */
@injectable({scope: BindingScope.SINGLETON})
export class AttachmentService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.ACCESS_SERVICE) private access: AccessService,
    @inject(ChatServiceBindings.ATTACHMENT_STORAGE)
    private storage: AttachmentStorage,
    @inject(ChatServiceBindings.LOGGER) private logger: ChatLogger,
  ) {
    this.missing = new MissingContentLog(logger);
    this.outage = new StorageOutage(logger);
  }

  private readonly missing: MissingContentLog;
  private readonly outage: StorageOutage;

  /** The largest file an upload may carry, in bytes. */
  maxUploadBytes(): number {
    return this.config.attachments.maxBytes;
  }

  /**
   * Stores an uploaded file and records it; on failure nothing stays
   * stored. A storage that fails (not the upload) is a 503
   * `STORAGE_UNAVAILABLE`.
   */
  async upload(
    access: ConversationAccess,
    incoming: IncomingFile,
  ): Promise<AttachmentView> {
    const storageKey = randomUUID();
    let stored = false;
    try {
      const file = await receiveFile(
        incoming,
        this.config.attachments,
        async content => {
          await this.storage.write(storageKey, content);
          stored = true;
          this.outage.succeeded();
        },
        err => this.outage.failed(err),
      );
      const attachment: StoredAttachment = {
        id: randomUUID(),
        tenantId: access.tenantId,
        conversationId: access.conversationId,
        messageId: null,
        uploaderId: access.userId,
        ...file,
        storageKey,
        createdAt: new Date(),
        deletedAt: null,
      };
      await this.record(access, attachment);
      return toView(attachment);
    } catch (err) {
      if (stored) await this.removeUnrecorded(storageKey);
      throw err;
    }
  }

  /**
   * Removes the stored bytes of an upload that was not recorded (access
   * lost meanwhile, the database down); a failed removal is reported, as it
   * leaves an object no attachment points at.
   */
  private async removeUnrecorded(storageKey: string): Promise<void> {
    await this.storage
      .remove(storageKey)
      .catch(err =>
        this.logger.warn(
          `Could not remove the stored bytes ${storageKey} of an upload that ` +
            `was not recorded: ${(err as Error)?.message ?? err}`,
        ),
      );
  }

  /**
   * Records an upload once its bytes are stored, re-checking under the
   * conversation's shared lock that the uploader is still a member (the
   * upload may have taken long): a removed member gets a 404.
   */
  private async record(
    access: ConversationAccess,
    attachment: StoredAttachment,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const {conversationId} = access;
      if (
        (await conversationQueries.shareConversation(tx, conversationId)) ===
        undefined
      ) {
        throw conversationNotFound();
      }
      await recheckAccess(tx, access);
      await attachmentQueries.insertAttachment(tx, attachment);
    });
  }

  /** Metadata of an attachment the caller may see. */
  async get(user: ChatUser, attachmentId: string): Promise<AttachmentView> {
    return toView(await this.find(user, attachmentId));
  }

  /**
   * An attachment the caller may download: of a conversation the caller is
   * a member of, not deleted. Anything else is 404.
   */
  async find(user: ChatUser, attachmentId: string): Promise<StoredAttachment> {
    const {attachment} = await this.resolve(user, attachmentId, false);
    return attachment;
  }

  /**
   * Opens the bytes (all, or `range`) of an attachment from `find` and
   * records the download before the first byte is sent. A download that
   * cannot be opened is not recorded.
   */
  async download(
    user: ChatUser,
    attachment: StoredAttachment,
    range: ByteRange | undefined,
    client: DownloadClient,
  ): Promise<Download> {
    const content = await this.storage
      .read(attachment.storageKey, range)
      .catch(err => {
        throw storageFailure(this.missing, this.outage, attachment, err);
      });
    this.outage.succeeded();
    const record = downloadRecord(user, attachment, range, client);
    try {
      await attachmentQueries.insertDownload(this.db, record);
    } catch (err) {
      content.destroy();
      throw err;
    }
    return {id: record.id, content, bytes: record.bytes};
  }

  /** Records the bytes actually sent by a download that ended early. */
  async correctBytes(downloadId: string, bytes: number): Promise<void> {
    await attachmentQueries.setDownloadBytes(this.db, downloadId, bytes);
  }

  /**
   * The download audit, newest first: for the uploader and, in groups, the
   * owners and admins. Other members get 403; it outlives the attachment.
   */
  async listDownloads(
    user: ChatUser,
    attachmentId: string,
    query: {limit?: number; cursor?: string},
  ): Promise<DownloadPage> {
    const limit = pageLimit(this.config, query.limit);
    const after = query.cursor
      ? decodeCursor(query.cursor, 'cursor', parseDownloadCursor)
      : undefined;
    const {attachment, access} = await this.resolve(user, attachmentId, true);
    if (attachment.uploaderId !== user.id && !isManager(access)) {
      throw ChatError.forbidden(
        'Only the uploader or a group owner or admin may read the downloads.',
      );
    }
    const items = await attachmentQueries.listDownloads(
      this.db,
      attachment.id,
      {limit: limit + 1, after},
    );
    return downloadPage(items, limit);
  }

  private async resolve(
    user: ChatUser,
    attachmentId: string,
    includeDeleted: boolean,
  ) {
    const attachment = isUuid(attachmentId)
      ? await attachmentQueries.findAttachment(
          this.db,
          user.tenantId,
          attachmentId.toLowerCase(),
        )
      : undefined;
    if (!attachment || (attachment.deletedAt && !includeDeleted)) {
      throw attachmentNotFound();
    }
    const access = await this.access
      .require(user, attachment.conversationId)
      .catch(err => {
        // not revealing the conversation: the attachment is not found
        throw err instanceof ChatError && err.kind === 'not-found'
          ? attachmentNotFound()
          : err;
      });
    return {attachment, access};
  }
}

function attachmentNotFound(): ChatError {
  return ChatError.notFound(ChatErrorCodes.ATTACHMENT_NOT_FOUND, 'Attachment');
}
