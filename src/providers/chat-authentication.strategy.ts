import {asAuthStrategy, AuthenticationStrategy} from '@loopback/authentication';
import {Getter, inject, injectable} from '@loopback/core';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {isStorableText} from '../services/storable-text';
import {AuthErrorCodes, unauthorized} from './auth-errors';

/** Name of the strategy in `@authenticate(CHAT_AUTHENTICATION_STRATEGY)`. */
export const CHAT_AUTHENTICATION_STRATEGY = 'chat-service';

/** User and tenant ids are stored in columns of this many characters. */
const MAX_ID_LENGTH = 255;

/**
 * Normalises what a strategy returned into the profile the controllers see
 * as `ChatUser`: `{[securityId]: id, id, tenantId}`. The id is `id`, else
 * `sub`, else `securityId`; `tenantId` is `''` when absent. Anything else,
 * an id longer than 255 characters, or one the database cannot store (NUL,
 * unpaired surrogates), is a 401.
 */
export function toChatUserProfile(profile: unknown): UserProfile {
  const p = (profile ?? {}) as Partial<UserProfile> & Record<string, unknown>;
  const id = p.id ?? p.sub ?? p[securityId];
  if (!isStoredId(id) || id === '') {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'Authentication did not identify a user.',
    );
  }
  const tenantId = p.tenantId ?? '';
  if (!isStoredId(tenantId)) {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'The authenticated user has an invalid tenantId.',
    );
  }
  return {[securityId]: id, id, tenantId};
}

/** A string the id columns can hold (no NUL, no lone surrogate). */
function isStoredId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_ID_LENGTH &&
    isStorableText(value)
  );
}

/**
 * The strategy named by the component's controllers. It delegates to
 * whatever is bound at `ChatServiceBindings.AUTH_STRATEGY` (by default
 * `BearerTokenStrategy`) so a host can swap authentication by rebinding that
 * key.
 */
@injectable(asAuthStrategy)
export class ChatAuthenticationStrategy implements AuthenticationStrategy {
  readonly name: string = CHAT_AUTHENTICATION_STRATEGY;

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
