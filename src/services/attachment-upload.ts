import {Readable} from 'node:stream';
import {ChatError, ChatErrorCodes} from '../errors';
import {safeFileName} from './file-name';
import {isAllowedContentType, isMediaType, Meter} from './upload-meter';

/** What an upload may be: from `config.attachments`. */
export interface UploadLimits {
  maxBytes: number;
  allowedContentTypes: string[];
}

/**
 * A file on its way in, as the HTTP layer hands it over: the name and type
 * the client declared, and the bytes. The stream ends only once the whole
 * request was read and found well-formed; a refused request destroys it.
 */
export interface IncomingFile {
  fileName: string | undefined;
  contentType: string;
  content: Readable;
}

/** The file of an upload, measured on its way to the storage. */
export interface ReceivedFile {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** Stores the file's bytes; resolves once they are stored. */
export type StoreContent = (content: Readable) => Promise<void>;

/**
 * Streams `file` to `store`, refusing a content type `limits` does not allow
 * (415) before reading it, and a file over `limits.maxBytes` (413) while it
 * streams; computes size and SHA-256 on the way. Never buffers the file.
 * Settles once `store` has settled; a failure is a `ChatError`, the error
 * the stream was destroyed with, or, when the upload itself did not fail,
 * what `storeFailed` makes of the storage's own error (default: itself).
 */
export async function receiveFile(
  file: IncomingFile,
  limits: UploadLimits,
  store: StoreContent,
  storeFailed: (err: unknown) => unknown = err => err,
): Promise<ReceivedFile> {
  const contentType = file.contentType.toLowerCase();
  if (
    !isMediaType(contentType) ||
    !isAllowedContentType(contentType, limits.allowedContentTypes)
  ) {
    throw unsupportedType(contentType);
  }
  const meter = new Meter(limits.maxBytes);
  // its errors reach the caller through the storage's promise
  meter.on('error', () => {});
  let sourceFailure: Error | undefined;
  file.content.on('error', err => {
    sourceFailure = err;
    meter.destroy(err);
  });
  file.content.pipe(meter);
  try {
    await store(meter);
  } catch (err) {
    throw meter.failure ?? sourceFailure ?? storeFailed(err);
  }
  return {
    fileName: safeFileName(file.fileName),
    contentType,
    size: meter.size,
    sha256: meter.digest(),
  };
}

function unsupportedType(contentType: string): ChatError {
  return new ChatError(
    'unsupported-type',
    ChatErrorCodes.UNSUPPORTED_ATTACHMENT_TYPE,
    `Attachments of type "${clipped(contentType)}" are not allowed.`,
  );
}

/** At most 100 characters of a client's value, for a message. */
function clipped(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
