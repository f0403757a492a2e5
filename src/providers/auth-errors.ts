import {HttpErrors} from '@loopback/rest';
import {ChatErrorCodes} from '../errors';

/** The codes of authentication failures (a subset of `ChatErrorCodes`). */
export const AuthErrorCodes = {
  INVALID_TOKEN: ChatErrorCodes.INVALID_TOKEN,
  MISSING_TOKEN: ChatErrorCodes.MISSING_TOKEN,
  TOKEN_EXPIRED: ChatErrorCodes.TOKEN_EXPIRED,
} as const;

export type AuthErrorCode =
  (typeof AuthErrorCodes)[keyof typeof AuthErrorCodes];

/** A 401 `HttpErrors.Unauthorized` carrying a stable `code`. */
export function unauthorized(
  code: AuthErrorCode,
  message: string,
): HttpErrors.HttpError {
  return Object.assign(new HttpErrors.Unauthorized(message), {code});
}
