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
