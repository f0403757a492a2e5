import {BindingScope, inject, injectable, Provider} from '@loopback/core';
import {errors, JWSHeaderParameters, JWTPayload, jwtVerify} from 'jose';
import {createPublicKey, createSecretKey, KeyObject} from 'node:crypto';
import {ChatServiceBindings} from '../keys';
import {
  ChatJwtConfig,
  ChatUser,
  ResolvedChatServiceConfig,
  TokenVerifier,
} from '../types';
import {AuthErrorCodes, unauthorized} from './auth-errors';

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const EC_ALGORITHMS: Record<string, string[]> = {
  prime256v1: ['ES256'],
  secp384r1: ['ES384'],
  secp521r1: ['ES512'],
};

/** Keys imported once per provider, with the algorithms they may verify. */
interface VerificationKeys {
  secret?: KeyObject;
  publicKey?: KeyObject;
  algorithms: string[];
}

/**
 * The JWT settings in effect: each of `secret`, `publicKey` and `issuer`
 * comes from the configuration, else from `JWT_SECRET`, `JWT_PUBLIC_KEY`
 * and `JWT_ISSUER`. Empty values count as unset.
 */
export function readJwtSettings(
  config: ChatJwtConfig,
  env: NodeJS.ProcessEnv = process.env,
): ChatJwtConfig {
  return {
    ...config,
    secret: nonEmpty(config.secret) ?? nonEmpty(env.JWT_SECRET),
    publicKey: nonEmpty(config.publicKey) ?? nonEmpty(env.JWT_PUBLIC_KEY),
    issuer: nonEmpty(config.issuer) ?? nonEmpty(env.JWT_ISSUER),
  };
}

/**
 * Turns verified claims into the caller: the id is claim `sub`, else `id`
 * (sourceloop tokens); `tenantId` is optional and must be a string.
 */
export function userFromClaims(claims: JWTPayload): ChatUser {
  const id = claims.sub ?? claims.id;
  if (typeof id !== 'string' || id === '') {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'Token has no user id (claim "sub" or "id").',
    );
  }
  const tenantId = claims.tenantId ?? '';
  if (typeof tenantId !== 'string') {
    throw unauthorized(
      AuthErrorCodes.INVALID_TOKEN,
      'Token claim "tenantId" must be a string.',
    );
  }
  return {id, tenantId};
}

/**
 * Default `TokenVerifier`: verifies JWTs with `jose`. HS256/384/512 with a
 * shared secret, RS256/384/512, ES256/384/512 or EdDSA with a PEM public key
 * (the key type decides). With neither configured every token is rejected.
 */
@injectable({scope: BindingScope.SINGLETON})
export class JwtTokenVerifierProvider implements Provider<TokenVerifier> {
  private readonly settings: ChatJwtConfig;
  private readonly keys: VerificationKeys;

  constructor(
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    config: ResolvedChatServiceConfig,
  ) {
    this.settings = readJwtSettings(config.authentication.jwt);
    this.keys = importKeys(this.settings);
  }

  value(): TokenVerifier {
    return {verify: token => this.verify(token)};
  }

  /** Verifies `token` and returns the caller, or throws a 401. */
  async verify(token: string): Promise<ChatUser> {
    const {algorithms} = this.keys;
    if (algorithms.length === 0) {
      throw unauthorized(
        AuthErrorCodes.INVALID_TOKEN,
        'Token cannot be verified: no JWT secret or public key is configured.',
      );
    }
    const settings = this.settings;
    let claims: JWTPayload;
    try {
      const result = await jwtVerify(token, header => this.keyFor(header), {
        algorithms,
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: settings.clockToleranceSeconds ?? 0,
        requiredClaims: settings.allowMissingExpiration ? [] : ['exp'],
      });
      claims = result.payload;
    } catch (err) {
      throw toUnauthorized(err);
    }
    return userFromClaims(claims);
  }

  private keyFor(header: JWSHeaderParameters): KeyObject {
    // `algorithms` only lists HS* when a secret exists, others with a key.
    const key = header.alg?.startsWith('HS')
      ? this.keys.secret
      : this.keys.publicKey;
    if (!key) throw new errors.JOSEAlgNotAllowed('algorithm not allowed');
    return key;
  }
}

function importKeys(settings: ChatJwtConfig): VerificationKeys {
  const secret = settings.secret
    ? createSecretKey(Buffer.from(settings.secret, 'utf8'))
    : undefined;
  const publicKey = settings.publicKey
    ? importPublicKey(settings.publicKey)
    : undefined;
  const algorithms = [
    ...(secret ? HMAC_ALGORITHMS : []),
    ...(publicKey ? algorithmsFor(publicKey) : []),
  ];
  return {secret, publicKey, algorithms};
}

/** Accepts SPKI or certificate PEM; `\n` escapes (from env files) allowed. */
function importPublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem.replace(/\\n/g, '\n'));
  } catch (err) {
    throw new Error(
      `The JWT public key is not a valid PEM public key or certificate: ${
        (err as Error).message
      }`,
    );
  }
}

function algorithmsFor(key: KeyObject): string[] {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return ['RS256', 'RS384', 'RS512'];
  if (type === 'ed25519') return ['EdDSA'];
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type === 'ec' && curve && EC_ALGORITHMS[curve]) {
    return EC_ALGORITHMS[curve];
  }
  throw new Error(
    `Unsupported JWT public key type: ${type}${curve ? ` (${curve})` : ''}.`,
  );
}

function toUnauthorized(err: unknown): Error {
  if (err instanceof errors.JWTExpired) {
    return unauthorized(AuthErrorCodes.TOKEN_EXPIRED, 'Token has expired.');
  }
  const reason = err instanceof errors.JOSEError ? `: ${err.message}` : '';
  return unauthorized(AuthErrorCodes.INVALID_TOKEN, `Invalid token${reason}.`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
