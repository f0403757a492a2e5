import {ChatError} from '../errors';

const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Longest user id, in characters of its JSON string form (without the
 * quotes): `"` and `\` count twice, other control characters up to six
 * times. The key of a direct conversation is the JSON array of its two
 * member ids in a `varchar(520)`, so two such ids always fit (2 × 255 + 7).
 */
export const MAX_USER_ID_LENGTH = 255;
/** Longest tenant id, in characters (the `tenant_id` columns). */
export const MAX_TENANT_ID_LENGTH = 255;
/** Longest conversation `metadata`, in characters of its JSON text. */
export const MAX_METADATA_LENGTH = 65536;
/**
 * Deepest nesting of conversation `metadata` (the object itself is level
 * 1). MariaDB refuses JSON nested deeper than 32 levels, and events carry
 * the metadata two levels down.
 */
export const MAX_METADATA_DEPTH = 16;

/**
 * True when a string can be stored by the database: PostgreSQL text and
 * jsonb hold neither NUL characters nor unpaired UTF-16 surrogates.
 */
export function isStorableText(value: string): boolean {
  return !value.includes(NUL) && !LONE_SURROGATE.test(value);
}

/** True when every string (and key) in a JSON value is storable. */
export function isStorableJson(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!isStorableText(next)) return false;
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (!isStorableText(key)) return false;
        pending.push(item);
      }
    }
  }
  return true;
}

/** Throws a 422 naming `field` unless `value` (text or JSON) is storable. */
export function checkStorable(field: string, value: unknown): void {
  if (value === undefined || isStorableJson(value)) return;
  throw ChatError.invalid(
    field,
    'must not contain NUL characters or unpaired surrogates',
  );
}

/**
 * Length in characters (code points), as `varchar(n)` counts on PostgreSQL
 * and MySQL (utf8mb4) and as JSON Schema's `maxLength` does: an emoji is
 * one character, though two UTF-16 units in JavaScript.
 */
export function characterLength(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // a high surrogate followed by a low one is one character
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Characters of `value` as a JSON string, without the quotes. */
export function jsonLength(value: string): number {
  return characterLength(JSON.stringify(value)) - 2;
}

/**
 * True for a user id the component can store: a non-empty string without
 * NUL or unpaired surrogates, at most `MAX_USER_ID_LENGTH` characters in
 * JSON form.
 */
export function isStorableUserId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value !== '' &&
    isStorableText(value) &&
    jsonLength(value) <= MAX_USER_ID_LENGTH
  );
}

/** Throws a 422 naming `field/i` for the first id that cannot be stored. */
export function checkUserIds(field: string, ids: readonly unknown[]): void {
  const bad = ids.findIndex(id => !isStorableUserId(id));
  if (bad < 0) return;
  throw ChatError.invalid(
    `${field}/${bad}`,
    `a user id is at most ${MAX_USER_ID_LENGTH} characters written as a ` +
      'JSON string (" and \\ count twice, control characters six times)',
  );
}

/** Throws a 422 naming `metadata` when it is too long or too deep. */
export function checkMetadataLength(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return;
  if (JSON.stringify(metadata).length > MAX_METADATA_LENGTH) {
    throw ChatError.invalid(
      'metadata',
      `must be at most ${MAX_METADATA_LENGTH} characters as JSON`,
    );
  }
  if (depthOf(metadata) > MAX_METADATA_DEPTH) {
    throw ChatError.invalid(
      'metadata',
      `must nest objects and arrays at most ${MAX_METADATA_DEPTH} levels deep`,
    );
  }
}

/** Levels of objects and arrays in a JSON value (a scalar is 0). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}
