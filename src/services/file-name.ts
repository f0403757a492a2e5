/** Name given to an upload whose name reduces to nothing. */
export const DEFAULT_FILE_NAME = 'file';
/** Longest stored file name, in characters (code points). */
export const MAX_FILE_NAME_LENGTH = 255;

// C0/C1 controls, and the bidirectional controls that can disguise a name
// (`evil\u202Egpj.exe` shows as `evilexe.jpg`)
const CONTROL = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const LONE_SURROGATE = /\p{Cs}/gu;
const MAX_EXTENSION = 16;

/**
 * Reduces a client's file name to a safe base name: the part after the last
 * `/` or `\`, without control characters or unpaired surrogates, trimmed and
 * at most 255 characters (keeping the extension). Other Unicode is kept.
 * Empty, `.` and `..` become `file`.
 */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(CONTROL, '').replace(LONE_SURROGATE, '').trim();
  if (clean === '' || clean === '.' || clean === '..') return DEFAULT_FILE_NAME;
  return truncate(clean);
}

function truncate(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension =
    dot > 0 && name.length - dot <= MAX_EXTENSION ? [...name.slice(dot)] : [];
  const stem = chars.slice(0, MAX_FILE_NAME_LENGTH - extension.length);
  return [...stem, ...extension].join('').trim();
}

/**
 * A `Content-Disposition: attachment` value with an ASCII `filename` (accents
 * dropped, other non-ASCII and `"`, `\`, `%` replaced by `_`) and the exact
 * name as RFC 5987 `filename*`.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
