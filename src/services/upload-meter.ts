import {createHash} from 'node:crypto';
import {Transform, TransformCallback} from 'node:stream';
import {ChatError, ChatErrorCodes} from '../errors';

/**
 * `type/subtype`, as a client may declare it for a file part: RFC 6838
 * names of at most 127 characters each, so a stored type fits its
 * `varchar(255)`.
 */
const MEDIA_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * True when `contentType` is a well-formed `type/subtype` (lower case).
 * Anything else, an over-long one included, is answered 415.
 */
export function isMediaType(contentType: string): boolean {
  return MEDIA_TYPE.test(contentType);
}

/** True when `contentType` matches one of `patterns` (`a/b`, `a/*`, `*\/*`). */
export function isAllowedContentType(
  contentType: string,
  patterns: string[],
): boolean {
  return patterns.some(pattern => {
    const p = pattern.trim().toLowerCase();
    if (p === '*/*' || p === '*') return true;
    if (p.endsWith('/*')) return contentType.startsWith(p.slice(0, -1));
    return contentType === p;
  });
}

/** Counts and hashes the bytes passing through; fails past `maxBytes`. */
export class Meter extends Transform {
  size = 0;
  failure?: ChatError;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  _transform(chunk: Buffer, _encoding: string, callback: TransformCallback) {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.failure = tooLarge(this.maxBytes);
      callback(this.failure);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** 413: the upload is over `maxBytes`. */
export function tooLarge(maxBytes: number): ChatError {
  return new ChatError(
    'too-large',
    ChatErrorCodes.ATTACHMENT_TOO_LARGE,
    `The attachment is larger than the limit of ${maxBytes} bytes.`,
  );
}
