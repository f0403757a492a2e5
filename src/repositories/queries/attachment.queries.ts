import {oneOf, Row, SqlRunner} from '../chat-db';
import {toDate} from './rows';
import {AttachmentDownloadView, AttachmentView} from '../../domain';

/** An attachment with what only the server sees. */
export interface StoredAttachment extends AttachmentView {
  tenantId: string;
  storageKey: string;
  deletedAt: Date | null;
}

export interface NewDownload extends AttachmentDownloadView {
  tenantId: string;
}

/** Position in an attachment's download audit, newest first. */
export interface DownloadCursor {
  downloadedAt: Date;
  id: string;
}

const COLUMNS = `a.id, a.tenant_id, a.conversation_id, a.message_id,
  a.uploader_id, a.file_name, a.content_type, a.size, a.sha256,
  a.storage_key, a.created_at, a.deleted_at`;

const DOWNLOAD_COLUMNS = `id, attachment_id, user_id, downloaded_at, ip,
  user_agent, bytes, byte_range`;

export async function insertAttachment(
  q: SqlRunner,
  a: StoredAttachment,
): Promise<void> {
  await q.query(
    `INSERT INTO chat_attachments (id, tenant_id, conversation_id, message_id,
       uploader_id, file_name, content_type, size, sha256, storage_key,
       created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      a.id,
      a.tenantId,
      a.conversationId,
      a.messageId,
      a.uploaderId,
      a.fileName,
      a.contentType,
      a.size,
      a.sha256,
      a.storageKey,
      a.createdAt,
    ],
  );
}

/** An attachment of the tenant, deleted or not. */
export async function findAttachment(
  q: SqlRunner,
  tenantId: string,
  id: string,
): Promise<StoredAttachment | undefined> {
  const [row] = await q.query(
    `SELECT ${COLUMNS} FROM chat_attachments a
     WHERE a.id = $1 AND a.tenant_id = $2`,
    [id, tenantId],
  );
  return row ? toStoredAttachment(row) : undefined;
}

/**
 * Gives the message `messageId` those of `ids` that `uploaderId` uploaded
 * to the conversation and that no message carries yet; answers all the
 * message's attachments, in upload order.
 */
export async function attachToMessage(
  q: SqlRunner,
  target: {messageId: string; conversationId: string; uploaderId: string},
  ids: string[],
): Promise<AttachmentView[]> {
  if (ids.length === 0) return [];
  const listed = oneOf(q, 'id', ids, 4);
  await q.query(
    `UPDATE chat_attachments SET message_id = $1
     WHERE ${listed.sql}
       AND conversation_id = $2 AND uploader_id = $3
       AND message_id IS NULL AND deleted_at IS NULL`,
    [
      target.messageId,
      target.conversationId,
      target.uploaderId,
      ...listed.params,
    ],
  );
  return listForMessages(q, [target.messageId]);
}

/** The live attachments of the given messages, in upload order. */
export async function listForMessages(
  q: SqlRunner,
  messageIds: string[],
): Promise<AttachmentView[]> {
  if (messageIds.length === 0) return [];
  const listed = oneOf(q, 'a.message_id', messageIds, 1);
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM chat_attachments a
     WHERE ${listed.sql} AND a.deleted_at IS NULL
     ORDER BY a.message_id, a.created_at, a.id`,
    listed.params,
  );
  return rows.map(toAttachment);
}

/** Soft-deletes the attachments of a message. */
export async function deleteForMessage(
  q: SqlRunner,
  messageId: string,
  by: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE chat_attachments SET deleted_at = $2, deleted_by = $3
     WHERE message_id = $1 AND deleted_at IS NULL`,
    [messageId, at, by],
  );
}

export async function insertDownload(
  q: SqlRunner,
  d: NewDownload,
): Promise<void> {
  await q.query(
    `INSERT INTO chat_attachment_downloads (id, attachment_id, tenant_id,
       user_id, downloaded_at, ip, user_agent, bytes, byte_range)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      d.id,
      d.attachmentId,
      d.tenantId,
      d.userId,
      d.downloadedAt,
      d.ip,
      d.userAgent,
      d.bytes,
      d.range,
    ],
  );
}

/** Corrects the bytes of a download that ended early. */
export async function setDownloadBytes(
  q: SqlRunner,
  id: string,
  bytes: number,
): Promise<void> {
  await q.query(
    'UPDATE chat_attachment_downloads SET bytes = $2 WHERE id = $1',
    [id, bytes],
  );
}

/** A page of an attachment's downloads, newest first. */
export async function listDownloads(
  q: SqlRunner,
  attachmentId: string,
  page: {limit: number; after?: DownloadCursor},
): Promise<AttachmentDownloadView[]> {
  const params: unknown[] = [attachmentId, page.limit];
  let where = 'attachment_id = $1';
  if (page.after) {
    params.push(page.after.downloadedAt, page.after.id);
    where += ` AND (downloaded_at < $3 OR (downloaded_at = $3 AND id < $4))`;
  }
  const rows = await q.query(
    `SELECT ${DOWNLOAD_COLUMNS} FROM chat_attachment_downloads
     WHERE ${where} ORDER BY downloaded_at DESC, id DESC LIMIT $2`,
    params,
  );
  return rows.map(toDownload);
}

export function toAttachment(row: Row): AttachmentView {
  return {
    id: row.id as string,
    conversationId: row.conversation_id as string,
    messageId: (row.message_id as string | null) ?? null,
    uploaderId: row.uploader_id as string,
    fileName: row.file_name as string,
    contentType: row.content_type as string,
    size: Number(row.size),
    sha256: (row.sha256 as string).trim(),
    createdAt: toDate(row.created_at)!,
  };
}

function toStoredAttachment(row: Row): StoredAttachment {
  return {
    ...toAttachment(row),
    tenantId: row.tenant_id as string,
    storageKey: row.storage_key as string,
    deletedAt: toDate(row.deleted_at),
  };
}

function toDownload(row: Row): AttachmentDownloadView {
  return {
    id: row.id as string,
    attachmentId: row.attachment_id as string,
    userId: row.user_id as string,
    downloadedAt: toDate(row.downloaded_at)!,
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    bytes: Number(row.bytes),
    range: (row.byte_range as string | null) ?? null,
  };
}
