import busboy, {Busboy, FileInfo} from 'busboy';
import {IncomingMessage} from 'node:http';
import {Readable} from 'node:stream';
import {ChatError, ChatErrorCodes} from '../errors';
import {safeFileName} from './file-name';
import {
  discardRest,
  isAllowedContentType,
  isMediaType,
  Meter,
  tooLarge,
} from './upload-meter';

/** What an upload may be: from `config.attachments`. */
export interface UploadLimits {
  maxBytes: number;
  allowedContentTypes: string[];
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

/** The multipart part that carries the file. */
export const FILE_FIELD = 'file';
/** Multipart framing allowed on top of the file (boundaries, part headers). */
const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_PARTS = 4;

/**
 * Reads a `multipart/form-data` request with one file part named `file` and
 * streams the file to `store`, enforcing the size limit and the allowed
 * content types while it streams and computing size and SHA-256 on the way.
 * Never buffers the file. Settles only after `store` has settled; on any
 * failure the rest of the request is discarded and the error is a
 * `ChatError` (413, 415, 422, 400) or the storage's own error.
 */
export async function receiveUpload(
  request: IncomingMessage,
  limits: UploadLimits,
  store: StoreContent,
): Promise<ReceivedFile> {
  const declared = Number(request.headers['content-length']);
  if (declared > limits.maxBytes + MULTIPART_OVERHEAD) {
    // answered once the body is read: see `discardRest`
    await discardRest(request);
    throw tooLarge(limits.maxBytes);
  }
  return new UploadReceiver(request, limits, store).run();
}

interface FilePart {
  fileName: string;
  contentType: string;
  meter: Meter;
  stored: Promise<void>;
}

class UploadReceiver {
  private parser?: Busboy;
  private file?: FilePart;
  private failure?: unknown;
  private drained: Promise<void> = Promise.resolve();
  private finishing = false;
  private requestBytes = 0;
  private resolve: (file: ReceivedFile) => void;
  private reject: (err: unknown) => void;

  constructor(
    private readonly request: IncomingMessage,
    private readonly limits: UploadLimits,
    private readonly store: StoreContent,
  ) {}

  run(): Promise<ReceivedFile> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      try {
        this.parser = busboy({
          headers: this.request.headers,
          preservePath: true, // safeFileName reduces the name itself
          defParamCharset: 'utf8',
          limits: {
            parts: MAX_PARTS,
            fieldSize: 1024,
            headerPairs: 20,
            fileSize: this.limits.maxBytes + 1,
          },
        });
      } catch (err) {
        this.fail(malformed(err));
        return;
      }
      const parser = this.parser;
      parser.on('file', (name, stream, info) =>
        this.onFile(name, stream, info),
      );
      parser.on('field', name => this.fail(unexpectedField(name)));
      parser.on('partsLimit', () =>
        this.fail(ChatError.invalid(FILE_FIELD, 'send one part only')),
      );
      parser.on('error', err => this.fail(malformed(err)));
      parser.on('close', () => this.finish());
      this.request.on('data', (chunk: Buffer) => this.count(chunk));
      // the client went away: not a fault of the server (nor its database)
      this.request.on('error', () => this.fail(aborted()));
      this.request.on('close', () => {
        if (!this.request.complete) this.fail(aborted());
      });
      this.request.pipe(parser);
    });
  }

  private onFile(name: string, stream: Readable, info: FileInfo) {
    if (this.failure !== undefined) {
      stream.resume();
      return;
    }
    if (name !== FILE_FIELD || this.file) {
      stream.resume();
      this.fail(
        name === FILE_FIELD
          ? ChatError.invalid(FILE_FIELD, 'send exactly one file')
          : unexpectedField(name),
      );
      return;
    }
    const contentType = info.mimeType.toLowerCase();
    if (
      !isMediaType(contentType) ||
      !isAllowedContentType(contentType, this.limits.allowedContentTypes)
    ) {
      stream.resume();
      this.fail(unsupportedType(contentType));
      return;
    }
    const meter = new Meter(this.limits.maxBytes);
    // its errors reach `fail` through the storage's promise
    meter.on('error', () => {});
    stream.on('error', err => meter.destroy(err));
    stream.pipe(meter);
    this.file = {
      fileName: safeFileName(info.filename),
      contentType,
      meter,
      stored: this.store(meter).catch(err => this.fail(meter.failure ?? err)),
    };
  }

  private count(chunk: Buffer) {
    this.requestBytes += chunk.length;
    if (this.requestBytes > this.limits.maxBytes + MULTIPART_OVERHEAD) {
      this.fail(tooLarge(this.limits.maxBytes));
    }
  }

  /** Records the first failure, stops reading and discards the rest. */
  private fail(err: unknown) {
    if (this.failure !== undefined) return;
    this.failure = err;
    if (this.parser) this.request.unpipe(this.parser);
    this.drained = discardRest(this.request);
    // a file still waiting for bytes will not get them
    const meter = this.file?.meter;
    if (meter && !meter.writableEnded) meter.destroy(err as Error);
    this.finish();
  }

  /** Settles once the storage has settled and a refused body is read. */
  private finish() {
    if (this.finishing) return;
    this.finishing = true;
    const stored = this.file?.stored ?? Promise.resolve();
    Promise.all([stored.catch(() => undefined), this.drained]).then(
      () => this.settle(),
      () => this.settle(),
    );
  }

  private settle() {
    if (this.failure !== undefined) {
      this.reject(this.failure);
    } else if (!this.file) {
      this.reject(
        ChatError.invalid(FILE_FIELD, 'is required: a file part named "file"'),
      );
    } else {
      const {fileName, contentType, meter} = this.file;
      this.resolve({
        fileName,
        contentType,
        size: meter.size,
        sha256: meter.digest(),
      });
    }
  }
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

function unexpectedField(name: string): ChatError {
  return name === FILE_FIELD
    ? ChatError.invalid(FILE_FIELD, 'must be a file part (with a filename)')
    : ChatError.invalid(name, `unknown part; send only "${FILE_FIELD}"`);
}

function malformed(err: unknown): ChatError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ChatError(
    'bad-request',
    ChatErrorCodes.BAD_REQUEST,
    `Malformed multipart body: ${reason}`,
  );
}

function aborted(): ChatError {
  return new ChatError(
    'bad-request',
    ChatErrorCodes.BAD_REQUEST,
    'The upload was aborted before its end.',
  );
}
