import {ChatError} from '../errors';
import {ResolvedChatServiceConfig} from '../types';

/** The page size to use: the default, or `limit` checked against the maximum. */
export function pageLimit(
  config: ResolvedChatServiceConfig,
  limit: number | undefined,
  max = config.limits.maxPageSize,
): number {
  return limitWithin(limit, config.limits.defaultPageSize, max);
}

/** `limit` when it is an integer from 1 to `max` (else 422), or the default. */
export function limitWithin(
  limit: number | undefined,
  defaultSize: number,
  max: number,
): number {
  if (limit === undefined) return Math.min(defaultSize, max);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw ChatError.invalid('limit', `must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** Encodes a keyset position as an opaque string. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; anything else is a 422. */
export function decodeCursor<T>(
  cursor: string,
  field: string,
  parse: (value: unknown) => T | undefined,
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = parse(value);
  if (parsed === undefined) {
    throw ChatError.invalid(field, 'is not a cursor this server issued');
  }
  return parsed;
}
