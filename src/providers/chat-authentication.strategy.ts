import {asAuthStrategy, AuthenticationStrategy} from '@loopback/authentication';
import {Getter, inject, injectable} from '@loopback/core';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {
  characterLength,
  isStorableText,
  isStorableUserId,
  MAX_TENANT_ID_LENGTH,
  MAX_USER_ID_LENGTH,
} from '../domain/storable-text';
import {AuthErrorCodes, unauthorized} from './auth-errors';

/** Name of the strategy in `@authenticate(CHAT_AUTHENTICATION_STRATEGY)`. */
export const CHAT_AUTHENTICATION_STRATEGY = 'chat-service';

/**
 * Normalises what a strategy returned into the profile the controllers see
 * as `ChatUser`: `{[securityId]: id, id, tenantId}`. The id is `id`, else
 * `sub`, else `securityId`; `tenantId` is `''` when absent. Anything else,
 * a user id over 255 characters in JSON form or a tenant id over 255
 * characters, or one the database cannot store (NUL, unpaired surrogates),
 * is a 401.
 */
export function toChatUserProfile(profile: unknown): UserProfile {
  const p = (profile ?? {}) as Partial<UserProfile> & Record<string, unknown>;
  const id = p.id ?? p.sub ?? p[securityId];
  if (typeof id !== 'string' || id === '') {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'Authentication did not identify a user.',
    );
  }
  if (!isStorableUserId(id)) {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      `The user id is longer than ${MAX_USER_ID_LENGTH} characters as a ` +
        'JSON string, or contains NUL or unpaired surrogates.',
    );
  }
  const tenantId = p.tenantId ?? '';
  if (!isStoredTenantId(tenantId)) {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      `The tenantId is not a string of at most ${MAX_TENANT_ID_LENGTH} ` +
        'characters without NUL or unpaired surrogates.',
    );
  }
  return {[securityId]: id, id, tenantId};
}

/** A string the tenant columns can hold (no NUL, no lone surrogate). */
function isStoredTenantId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    characterLength(value) <= MAX_TENANT_ID_LENGTH &&
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
