/** A downloaded attachment: its bytes and what the headers said. */
export interface DownloadedAttachment {
  blob: Blob;
  /** From `Content-Disposition` (`filename*`, else `filename`). */
  fileName: string | null;
  contentType: string;
  /** 200 for the whole file, 206 for a range. */
  status: number;
  /** `bytes a-b/size` for a range, else null. */
  contentRange: string | null;
}

/**
 * Part of a file, in bytes, both ends inclusive (as HTTP counts them):
 * `{start: 0, end: 99}` is the first 100 bytes, `{start: 100}` everything
 * from byte 100 on.
 */
export interface ByteRangeRequest {
  start: number;
  end?: number;
}

/**
 * The `Range` header for `range`: a string is sent as it is
 * (`bytes=0-99`); `{start, end?}` becomes `bytes=start-end`. A `start` or
 * `end` that is not a whole number of bytes, or an `end` before `start`,
 * throws a `RangeError` before anything is sent.
 */
export function rangeHeader(range: string | ByteRangeRequest): string {
  if (typeof range === 'string') return range;
  const {start, end} = (range ?? {}) as Partial<ByteRangeRequest>;
  const isOffset = (n: unknown) => Number.isSafeInteger(n) && Number(n) >= 0;
  if (!isOffset(start)) {
    throw new RangeError(
      `range.start must be a byte offset (an integer >= 0), got ${start}.`,
    );
  }
  if (end !== undefined && !(isOffset(end) && end >= start!)) {
    throw new RangeError(
      `range.end must be a byte offset at or after range.start (${start}), ` +
        `got ${end}.`,
    );
  }
  return `bytes=${start}-${end ?? ''}`;
}

export async function downloadOf(
  response: Response,
): Promise<DownloadedAttachment> {
  const blob = await response.blob();
  return {
    blob,
    fileName: fileNameOf(response.headers.get('Content-Disposition')),
    contentType: response.headers.get('Content-Type') ?? blob.type,
    status: response.status,
    contentRange: response.headers.get('Content-Range'),
  };
}

/** The file name of a `Content-Disposition` header (RFC 6266 / 5987). */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // malformed: fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  if (!plain) return null;
  return plain[1] !== undefined
    ? plain[1].replace(/\\(.)/g, '$1')
    : plain[2].trim();
}
