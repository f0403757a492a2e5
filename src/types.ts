import {UserProfile} from '@loopback/security';

/** Which repository implementation the component binds. */
export type ChatOrm = 'juggler' | 'sequelize';

/** Role of a member in a conversation. Direct conversations only have `member`. */
export type MemberRole = 'owner' | 'admin' | 'member';

export type ConversationType = 'direct' | 'group';

/**
 * Verification settings for the default JWT strategy. Unset fields fall back to
 * the environment: `JWT_SECRET`, `JWT_PUBLIC_KEY`, `JWT_ISSUER`.
 */
export interface ChatJwtConfig {
  /** Shared secret for HS256 tokens. */
  secret?: string;
  /** PEM public key (SPKI or certificate) for RS256 / ES256 tokens. */
  publicKey?: string;
  /** Expected `iss` claim; tokens from any other issuer are rejected. */
  issuer?: string;
  /** Expected `aud` claim, when set. */
  audience?: string;
  /** Accept tokens without an `exp` claim. Off by default. */
  allowMissingExpiration?: boolean;
  /** Clock skew tolerated when checking `exp` and `nbf`, in seconds. */
  clockToleranceSeconds?: number;
}

/** Limits applied to request bodies and lists. */
export interface ChatLimitsConfig {
  /** Page size when a request gives no `limit`. */
  defaultPageSize?: number;
  /** Largest `limit` a request may ask for. */
  maxPageSize?: number;
  /** Longest message body, in characters. */
  maxMessageLength?: number;
  /** Most user ids one request may add to a conversation. */
  maxMembersPerRequest?: number;
}

/**
 * Configuration bound at `ChatServiceBindings.CONFIG`. Every field is
 * optional; `DEFAULT_CHAT_SERVICE_CONFIG` supplies the rest.
 */
export interface ChatServiceConfig {
  /** Repository implementation: juggler (default) or Sequelize. */
  orm?: ChatOrm;
  /** Sourceloop's switch; `true` means `orm: 'sequelize'`. */
  useSequelize?: boolean;
  /** Name of the datasource the host binds (`datasources.<name>`). */
  datasourceName?: string;
  /**
   * Settings of the built-in JWT strategy. To use another strategy, bind it
   * at `ChatServiceBindings.AUTH_STRATEGY` (see README).
   */
  authentication?: {jwt?: ChatJwtConfig};
  limits?: ChatLimitsConfig;
}

/** The configuration after defaults are applied. */
export interface ResolvedChatServiceConfig {
  orm: ChatOrm;
  datasourceName: string;
  authentication: {jwt: ChatJwtConfig};
  limits: Required<ChatLimitsConfig>;
}

export const DEFAULT_CHAT_SERVICE_CONFIG: ResolvedChatServiceConfig = {
  orm: 'juggler',
  datasourceName: 'chatDb',
  authentication: {jwt: {}},
  limits: {
    defaultPageSize: 50,
    maxPageSize: 200,
    maxMessageLength: 10000,
    maxMembersPerRequest: 1000,
  },
};

/** Applies the defaults under a host's configuration; undefined fields keep the default. */
export function resolveChatServiceConfig(
  config: ChatServiceConfig = {},
): ResolvedChatServiceConfig {
  const defaults = DEFAULT_CHAT_SERVICE_CONFIG;
  const orm = config.orm ?? (config.useSequelize ? 'sequelize' : defaults.orm);
  return {
    orm,
    datasourceName: config.datasourceName ?? defaults.datasourceName,
    authentication: {
      jwt: withDefaults(
        defaults.authentication.jwt,
        config.authentication?.jwt,
      ),
    },
    limits: withDefaults(defaults.limits, config.limits),
  };
}

function withDefaults<T extends object>(defaults: T, given?: Partial<T>): T {
  const result = {...defaults};
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value !== undefined) result[key as keyof T] = value as T[keyof T];
  }
  return result;
}

/**
 * The authenticated caller as the component sees it. `tenantId` is `''` for
 * tokens without a tenant: that is a scope of its own.
 */
export interface ChatUser {
  id: string;
  tenantId: string;
}

/** What an authentication strategy may return: any profile with an id. */
export type ChatUserProfile = UserProfile & {tenantId?: string};

/**
 * Verifies a bearer token and returns the caller. Bound at
 * `ChatServiceBindings.TOKEN_VERIFIER`; rebind it to accept other tokens.
 */
export interface TokenVerifier {
  verify(token: string): Promise<ChatUser>;
}
