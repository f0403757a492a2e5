import busboy, {Busboy, FileInfo} from 'busboy';
import {IncomingMessage} from 'node:http';
import {PassThrough, Readable} from 'node:stream';
import {ChatError, ChatErrorCodes} from '../errors';
import {
  IncomingFile,
  ReceivedFile,
  receiveFile,
  StoreContent,
  tooLarge,
  UploadLimits,
} from '../services';

/** The multipart part that carries the file. */
export const FILE_FIELD = 'file';
/** Multipart framing allowed on top of the file (boundaries, part headers). */
const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_PARTS = 4;

/**
 * Reads a `multipart/form-data` request with one file part named `file` and
 * hands the file to `consume` as a stream (`IncomingFile`). The stream ends
 * only after the whole request was read and found well-formed; a refused
 * request (a body over `maxFileBytes` plus framing, another part, a
 * malformed body, an aborted upload) destroys it with its error instead.
 * Settles once `consume` has settled and the rest of a refused body is
 * read; the error is the first failure: a `ChatError` (413, 422, 400) or
 * what `consume` threw.
 */
export async function readMultipartFile<T>(
  request: IncomingMessage,
  maxFileBytes: number,
  consume: (file: IncomingFile) => Promise<T>,
): Promise<T> {
  const declared = Number(request.headers['content-length']);
  if (declared > maxFileBytes + MULTIPART_OVERHEAD) {
    // answered once the body is read: see `discardRest`
    await discardRest(request);
    throw tooLarge(maxFileBytes);
  }
  return new MultipartReader(request, maxFileBytes, consume).run();
}

/**
 * Reads a multipart upload (`readMultipartFile`) and streams its file to
 * `store` within `limits` (`receiveFile`).
 */
export function receiveUpload(
  request: IncomingMessage,
  limits: UploadLimits,
  store: StoreContent,
): Promise<ReceivedFile> {
  return readMultipartFile(request, limits.maxBytes, file =>
    receiveFile(file, limits, store),
  );
}

class MultipartReader<T> {
  private parser?: Busboy;
  private content?: PassThrough;
  private consumed?: Promise<{value: T} | undefined>;
  private failure?: unknown;
  private drained: Promise<void> = Promise.resolve();
  private parsed = false;
  private fileEnded = false;
  private requestBytes = 0;
  private stopped: () => void;

  constructor(
    private readonly request: IncomingMessage,
    private readonly maxFileBytes: number,
    private readonly consume: (file: IncomingFile) => Promise<T>,
  ) {}

  async run(): Promise<T> {
    // the body is parsed, or reading it stopped at the first failure
    await new Promise<void>(resolve => {
      this.stopped = resolve;
      this.start();
    });
    const consumed = await this.consumed;
    await this.drained;
    if (this.failure !== undefined) throw this.failure;
    if (!consumed) {
      throw ChatError.invalid(
        FILE_FIELD,
        'is required: a file part named "file"',
      );
    }
    return consumed.value;
  }

  private start() {
    try {
      this.parser = busboy({
        headers: this.request.headers,
        preservePath: true, // safeFileName reduces the name itself
        defParamCharset: 'utf8',
        limits: {
          parts: MAX_PARTS,
          fieldSize: 1024,
          headerPairs: 20,
          fileSize: this.maxFileBytes + 1,
        },
      });
    } catch (err) {
      this.fail(malformed(err));
      return;
    }
    const parser = this.parser;
    parser.on('file', (name, stream, info) => this.onFile(name, stream, info));
    parser.on('field', name => this.fail(unexpectedField(name)));
    parser.on('partsLimit', () =>
      this.fail(ChatError.invalid(FILE_FIELD, 'send one part only')),
    );
    parser.on('error', err => this.fail(malformed(err)));
    parser.on('close', () => {
      this.parsed = true;
      this.endContent();
      this.stopped();
    });
    this.request.on('data', (chunk: Buffer) => this.count(chunk));
    // the client went away: not a fault of the server (nor its database)
    this.request.on('error', () => this.fail(aborted()));
    this.request.on('close', () => {
      if (!this.request.complete) this.fail(aborted());
    });
    this.request.pipe(parser);
  }

  private onFile(name: string, stream: Readable, info: FileInfo) {
    if (this.failure !== undefined || name !== FILE_FIELD || this.content) {
      stream.resume();
      if (name === FILE_FIELD && this.content) {
        this.fail(ChatError.invalid(FILE_FIELD, 'send exactly one file'));
      } else if (name !== FILE_FIELD) {
        this.fail(unexpectedField(name));
      }
      return;
    }
    const content = new PassThrough();
    // its errors reach `consume`'s reader; `fail` destroys it
    content.on('error', () => {});
    stream.on('error', err => content.destroy(err));
    stream.on('end', () => {
      this.fileEnded = true;
      this.endContent();
    });
    stream.pipe(content, {end: false});
    this.content = content;
    const file = {fileName: info.filename, contentType: info.mimeType, content};
    this.consumed = new Promise<T>(resolve => resolve(this.consume(file))).then(
      value => ({value}),
      err => {
        this.fail(err);
        return undefined;
      },
    );
  }

  /** Ends the file's stream once both it and the whole body were read. */
  private endContent() {
    const content = this.content;
    if (!content || !this.parsed || !this.fileEnded) return;
    if (this.failure === undefined && !content.writableEnded) content.end();
  }

  private count(chunk: Buffer) {
    this.requestBytes += chunk.length;
    if (this.requestBytes > this.maxFileBytes + MULTIPART_OVERHEAD) {
      this.fail(tooLarge(this.maxFileBytes));
    }
  }

  /** Records the first failure, stops reading and discards the rest. */
  private fail(err: unknown) {
    if (this.failure !== undefined) return;
    this.failure = err;
    if (this.parser) this.request.unpipe(this.parser);
    this.drained = discardRest(this.request);
    // a file still waiting for bytes will not get them
    const content = this.content;
    if (content && !content.writableEnded) content.destroy(err as Error);
    this.stopped();
  }
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

/**
 * Most bytes of a refused upload read (and dropped) after the refusal
 * before the answer goes out anyway.
 */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Reads and drops the rest of a refused request body, resolving at its end
 * (or once `MAX_DISCARDED_BYTES` more were dropped, or the client left).
 * The error answer waits for it: a server that answers and closes while the
 * client is still sending makes the client's socket reset, and the client
 * may never read the answer.
 */
export function discardRest(request: IncomingMessage): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise(resolve => {
    let dropped = 0;
    const done = () => {
      request.off('data', onData);
      request.off('end', done);
      request.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > MAX_DISCARDED_BYTES) done();
    };
    request.on('data', onData);
    request.on('end', done);
    request.on('close', done);
    request.resume();
  });
}
