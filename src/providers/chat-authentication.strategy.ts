import {asAuthStrategy, AuthenticationStrategy} from '@loopback/authentication';
import {Getter, inject, injectable} from '@loopback/core';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {AuthErrorCodes, unauthorized} from './auth-errors';

/** Name of the strategy in `@authenticate(CHAT_AUTHENTICATION_STRATEGY)`. */
export const CHAT_AUTHENTICATION_STRATEGY = 'chat-service';

/** User and tenant ids are stored in columns of this many characters. */
const MAX_ID_LENGTH = 255;

/**
 * Normalises what a strategy returned into the profile the controllers see
 * as `ChatUser`: `{[securityId]: id, id, tenantId}`. The id is `id`, else
 * `sub`, else `securityId`; `tenantId` is `''` when absent. Anything else,
 * or an id longer than 255 characters, is a 401.
 */
export function toChatUserProfile(profile: unknown): UserProfile {
  const p = (profile ?? {}) as Partial<UserProfile> & Record<string, unknown>;
  const id = p.id ?? p.sub ?? p[securityId];
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH) {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'Authentication did not identify a user.',
    );
  }
  const tenantId = p.tenantId ?? '';
  if (typeof tenantId !== 'string' || tenantId.length > MAX_ID_LENGTH) {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'The authenticated user has an invalid tenantId.',
    );
  }
  return {[securityId]: id, id, tenantId};
}

/**
 * The strategy named by the component's controllers. It delegates to
 * whatever is bound at `ChatServiceBindings.AUTH_STRATEGY` (by default
 * `BearerTokenStrategy`) so a host can swap authentication by rebinding that
 * key.
 */
@injectable(asAuthStrategy)
export class ChatAuthenticationStrategy implements AuthenticationStrategy {
  readonly name = CHAT_AUTHENTICATION_STRATEGY;

  constructor(
    @inject.getter(ChatServiceBindings.AUTH_STRATEGY)
    private readonly getStrategy: Getter<AuthenticationStrategy>,
  ) {}

  async authenticate(request: Request): Promise<UserProfile> {
    const strategy = await this.getStrategy();
    const profile = await strategy.authenticate(request);
    return toChatUserProfile(profile);
  }
}
