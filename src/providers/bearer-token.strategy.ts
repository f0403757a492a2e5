import {AuthenticationStrategy} from '@loopback/authentication';
import {inject} from '@loopback/core';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {TokenVerifier} from '../types';
import {AuthErrorCodes, unauthorized} from './auth-errors';

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Returns the token of an `Authorization: Bearer <token>` header, or throws
 * a 401 `MISSING_TOKEN` when the header is absent or not a bearer token.
 */
export function extractBearerToken(header: string | undefined): string {
  const match = header ? BEARER.exec(header) : null;
  if (!match) {
    throw unauthorized(
      AuthErrorCodes.MISSING_TOKEN,
      'Authorization header with a Bearer token is required.',
    );
  }
  return match[1];
}

/**
 * Default strategy bound at `ChatServiceBindings.AUTH_STRATEGY`: reads the
 * bearer token and hands it to `ChatServiceBindings.TOKEN_VERIFIER`.
 */
export class BearerTokenStrategy implements AuthenticationStrategy {
  readonly name = 'chat-service-bearer';

  constructor(
    @inject(ChatServiceBindings.TOKEN_VERIFIER)
    private readonly verifier: TokenVerifier,
  ) {}

  async authenticate(request: Request): Promise<UserProfile> {
    const token = extractBearerToken(request.headers.authorization);
    const user = await this.verifier.verify(token);
    return {[securityId]: user.id, id: user.id, tenantId: user.tenantId};
  }
}
