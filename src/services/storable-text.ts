import {ChatError} from '../errors';

const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /\p{Cs}/u;

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
