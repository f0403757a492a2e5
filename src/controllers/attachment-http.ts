import {Request, Response} from '@loopback/rest';
import {Readable, Transform, TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {ChatError, ChatErrorCodes} from '../errors';
import {AttachmentView} from '../domain';
import {contentDisposition, DownloadClient} from '../services';
import {ByteRange} from '../types';

/**
 * The single byte range a `Range` header asks of `size` bytes: `undefined`
 * for the whole file (no header, another unit, several ranges or a
 * malformed one are served whole, as RFC 9110 allows), or `'unsatisfiable'`.
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const spec = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header ?? '');
  if (!spec) return undefined;
  const [, first, last] = spec;
  if (first === '') {
    if (last === '') return undefined;
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return {start: Math.max(0, size - suffix), end: size - 1};
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return {start, end};
}

/** The ETag of an attachment: its SHA-256, a strong validator. */
export function etagOf(attachment: AttachmentView): string {
  return `"${attachment.sha256}"`;
}

/**
 * The range to serve for `request`, honouring `If-Range` (a range applies
 * only while the ETag matches). An unsatisfiable range is a 416 with
 * `Content-Range: bytes *\/size`.
 */
export function requestedRange(
  request: Request,
  response: Response,
  attachment: AttachmentView,
): ByteRange | undefined {
  const ifRange = request.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etagOf(attachment)) return undefined;
  const range = parseByteRange(request.headers.range, attachment.size);
  if (range !== 'unsatisfiable') return range;
  response.setHeader('Content-Range', `bytes */${attachment.size}`);
  throw new ChatError(
    'range-not-satisfiable',
    ChatErrorCodes.RANGE_NOT_SATISFIABLE,
    `The range is not satisfiable: the attachment has ${attachment.size} bytes.`,
  );
}

/** Address and user agent of the caller, for the download audit. */
export function clientOf(request: Request): DownloadClient {
  return {
    ip: request.ip ?? request.socket?.remoteAddress ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  };
}

/**
 * Sends `content` (the whole attachment, or `range` of it as a 206) with
 * headers that make browsers save it, never render or sniff it. Resolves
 * with the bytes handed to the connection, fewer when the client left.
 */
export async function sendContent(
  response: Response,
  attachment: AttachmentView,
  range: ByteRange | undefined,
  content: Readable,
): Promise<number> {
  const size = attachment.size;
  const length = range ? range.end - range.start + 1 : size;
  response.status(range ? 206 : 200);
  response.set({
    'Content-Type': attachment.contentType,
    'Content-Length': String(length),
    'Content-Disposition': contentDisposition(attachment.fileName),
    ETag: etagOf(attachment),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  if (range) {
    response.setHeader(
      'Content-Range',
      `bytes ${range.start}-${range.end}/${size}`,
    );
  }
  const counter = new ByteCounter();
  try {
    await pipeline(content, counter, response);
  } catch {
    // the client went away or the storage failed: the response is closed
  }
  return counter.bytes;
}

class ByteCounter extends Transform {
  bytes = 0;

  _transform(chunk: Buffer, _encoding: string, callback: TransformCallback) {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
