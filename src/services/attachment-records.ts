import {
  AttachmentView,
  DownloadCursor,
  StoredAttachment,
} from '../repositories';
import {isUuid} from './access.service';

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

/** A header value as the audit stores it: at most `max` characters. */
export function clip(value: string | null, max: number): string | null {
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
