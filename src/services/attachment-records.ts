import {randomUUID} from 'node:crypto';
import type {Readable} from 'node:stream';
import {encodeCursor} from '../domain';
import {
  AttachmentDownloadView,
  AttachmentView,
  DownloadCursor,
  NewDownload,
  StoredAttachment,
} from '../repositories';
import {ChatError, ChatErrorCodes} from '../errors';
import {ByteRange, ChatLogger, ChatUser} from '../types';
import {isUuid} from './access.service';
import type {StorageOutage} from './storage-outage';

/** The API view of a stored attachment. */
export function toView(a: StoredAttachment): AttachmentView {
  return {
    id: a.id,
    conversationId: a.conversationId,
    messageId: a.messageId,
    uploaderId: a.uploaderId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    createdAt: a.createdAt,
  };
}

const MAX_USER_AGENT = 512;
const MAX_IP = 64;

/**
 * The audit entry of `user` downloading `attachment` (all of it, or
 * `range`) now, from `client`.
 */
export function downloadRecord(
  user: ChatUser,
  attachment: StoredAttachment,
  range: ByteRange | undefined,
  client: DownloadClient,
): NewDownload {
  return {
    id: randomUUID(),
    attachmentId: attachment.id,
    tenantId: attachment.tenantId,
    userId: user.id,
    downloadedAt: new Date(),
    ip: clip(client.ip, MAX_IP),
    userAgent: clip(client.userAgent, MAX_USER_AGENT),
    bytes: range ? range.end - range.start + 1 : attachment.size,
    range: range ? `bytes=${range.start}-${range.end}` : null,
  };
}

/**
 * A page of at most `limit` downloads from `items` (read with one more),
 * with the cursor of the next page when there is one.
 */
export function downloadPage(
  items: AttachmentDownloadView[],
  limit: number,
): DownloadPage {
  const last = items[limit - 1];
  return {
    items: items.slice(0, limit),
    nextCursor:
      items.length > limit
        ? encodeCursor([last.downloadedAt.toISOString(), last.id])
        : null,
  };
}

/** A header value as the audit stores it: at most `max` characters. */
function clip(value: string | null, max: number): string | null {
  if (!value) return null;
  // header values are Latin-1; drop what the database cannot store
  // eslint-disable-next-line no-control-regex
  return value.replace(/\u0000/g, '').slice(0, max);
}

/** The position a download-audit cursor encodes, if valid. */
export function parseDownloadCursor(
  value: unknown,
): DownloadCursor | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value;
  const downloadedAt = new Date(at);
  const year = downloadedAt.getUTCFullYear(); // NaN for an invalid date
  if (typeof at !== 'string' || !isUuid(id) || !(year >= 1 && year <= 9999)) {
    return undefined;
  }
  return {downloadedAt, id};
}

/** How many attachment ids `MissingContentLog` remembers. */
const REMEMBERED_MISSING = 1000;

/**
 * Logs each attachment whose bytes are missing once, not once per download
 * (any member could repeat the request and fill the log): remembers the
 * last `REMEMBERED_MISSING` ids it reported.
 */
export class MissingContentLog {
  private readonly reported = new Set<string>();

  constructor(private readonly logger: ChatLogger) {}

  report(attachment: StoredAttachment): void {
    if (this.reported.has(attachment.id)) return;
    this.reported.add(attachment.id);
    if (this.reported.size > REMEMBERED_MISSING) {
      this.reported.delete(this.reported.values().next().value as string);
    }
    this.logger.error(
      `The bytes of attachment ${attachment.id} (storage key ` +
        `${attachment.storageKey}) are missing from the storage.`,
    );
  }
}

/**
 * A storage error as the client gets it: bytes gone from the storage
 * (`ENOENT`, or S3's `NoSuchKey`) are a 410 `ATTACHMENT_CONTENT_MISSING`,
 * logged for the operator once per attachment; other errors are a 503
 * `STORAGE_UNAVAILABLE` (`StorageOutage`).
 */
export function storageFailure(
  log: MissingContentLog,
  outage: StorageOutage,
  attachment: StoredAttachment,
  err: unknown,
): ChatError {
  const {code, name} = (err ?? {}) as {code?: unknown; name?: unknown};
  const missing =
    code === 'ENOENT' || code === 'NoSuchKey' || name === 'NoSuchKey';
  if (!missing) return outage.failed(err);
  log.report(attachment);
  return new ChatError(
    'gone',
    ChatErrorCodes.ATTACHMENT_CONTENT_MISSING,
    'The content of this attachment is no longer available.',
  );
}

/** Who downloads: recorded in the audit. */
export interface DownloadClient {
  ip: string | null;
  userAgent: string | null;
}

/** An audited download whose bytes are ready to send. */
export interface Download {
  /** Id of the audit entry. */
  id: string;
  content: Readable;
  /** Bytes to send, as recorded. */
  bytes: number;
}

export interface DownloadPage {
  items: AttachmentDownloadView[];
  nextCursor: string | null;
}
