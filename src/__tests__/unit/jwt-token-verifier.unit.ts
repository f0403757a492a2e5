import {expect} from '@loopback/testlab';
import {
  base64url,
  exportSPKI,
  generateKeyPair,
  JWTPayload,
  SignJWT,
} from 'jose';
import {
  JwtTokenVerifierProvider,
  readJwtSettings,
} from '../../providers/jwt-token-verifier.provider';
import {
  ChatJwtConfig,
  resolveChatServiceConfig,
  TokenVerifier,
} from '../../types';

const SECRET = 'unit-test-secret-with-enough-length-0123456789';
const JWT_ENV = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_ISSUER'];

describe('JwtTokenVerifierProvider (unit)', () => {
  let savedEnv: Record<string, string | undefined>;

  beforeEach(() => {
    savedEnv = {};
    for (const name of JWT_ENV) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
  });

  afterEach(() => {
    for (const name of JWT_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
  });

  describe('with an HS256 secret', () => {
    it('returns the user and tenant of a good token', async () => {
      const token = await signHs({sub: 'u1', tenantId: 't1'});
      const user = await givenVerifier({secret: SECRET}).verify(token);
      expect(user).to.eql({id: 'u1', tenantId: 't1'});
    });

    it('falls back to the id claim and an empty tenant', async () => {
      const token = await signHs({id: 'sourceloop-user'});
      const user = await givenVerifier({secret: SECRET}).verify(token);
      expect(user).to.eql({id: 'sourceloop-user', tenantId: ''});
    });

    it('accepts HS512', async () => {
      const token = await signHs({sub: 'u1'}, {alg: 'HS512'});
      const user = await givenVerifier({secret: SECRET}).verify(token);
      expect(user).to.eql({id: 'u1', tenantId: ''});
    });

    it('rejects a token without exp', async () => {
      const token = await signHs({sub: 'u1'}, {exp: null});
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('accepts a token without exp when allowMissingExpiration', async () => {
      const token = await signHs({sub: 'u1'}, {exp: null});
      const verifier = givenVerifier({
        secret: SECRET,
        allowMissingExpiration: true,
      });
      expect(await verifier.verify(token)).to.eql({id: 'u1', tenantId: ''});
    });

    it('rejects an expired token', async () => {
      const token = await signHs({sub: 'u1'}, {exp: now() - 60});
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'TOKEN_EXPIRED',
      );
    });

    it('tolerates clock skew within clockToleranceSeconds', async () => {
      const token = await signHs({sub: 'u1'}, {exp: now() - 10});
      const verifier = givenVerifier({
        secret: SECRET,
        clockToleranceSeconds: 60,
      });
      expect(await verifier.verify(token)).to.eql({id: 'u1', tenantId: ''});
    });

    it('rejects a wrong issuer', async () => {
      const token = await signHs({sub: 'u1', iss: 'someone-else'});
      await expectUnauthorized(
        givenVerifier({secret: SECRET, issuer: 'chat-auth'}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('accepts the configured issuer and audience', async () => {
      const token = await signHs({sub: 'u1', iss: 'chat-auth', aud: 'chat'});
      const verifier = givenVerifier({
        secret: SECRET,
        issuer: 'chat-auth',
        audience: 'chat',
      });
      expect(await verifier.verify(token)).to.eql({id: 'u1', tenantId: ''});
    });

    it('rejects a wrong audience', async () => {
      const token = await signHs({sub: 'u1', aud: 'other'});
      await expectUnauthorized(
        givenVerifier({secret: SECRET, audience: 'chat'}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('rejects a bad signature', async () => {
      const token = await signHs({sub: 'u1'}, {secret: 'another-secret'});
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('rejects alg none', async () => {
      const token = unsignedToken({sub: 'u1', exp: now() + 600});
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('rejects garbage', async () => {
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify('not.a.jwt'),
        'INVALID_TOKEN',
      );
    });

    it('rejects a non-string tenantId', async () => {
      const token = await signHs({sub: 'u1', tenantId: 42});
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('rejects a token without sub or id', async () => {
      const token = await signHs({name: 'nobody'});
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('rejects an RS256 token', async () => {
      const {privateKey} = await generateKeyPair('RS256');
      const token = await sign({sub: 'u1'}, 'RS256', privateKey);
      await expectUnauthorized(
        givenVerifier({secret: SECRET}).verify(token),
        'INVALID_TOKEN',
      );
    });
  });

  describe('with a PEM public key', () => {
    for (const alg of ['RS256', 'ES256', 'ES384']) {
      it(`accepts ${alg} tokens signed by the matching private key`, async () => {
        const {publicKey, privateKey} = await generateKeyPair(alg);
        const token = await sign({sub: 'u1', tenantId: 't1'}, alg, privateKey);
        const verifier = givenVerifier({
          publicKey: await exportSPKI(publicKey),
        });
        expect(await verifier.verify(token)).to.eql({id: 'u1', tenantId: 't1'});
      });
    }

    it('rejects a token signed by another key', async () => {
      const {publicKey} = await generateKeyPair('ES256');
      const other = await generateKeyPair('ES256');
      const token = await sign({sub: 'u1'}, 'ES256', other.privateKey);
      const verifier = givenVerifier({publicKey: await exportSPKI(publicKey)});
      await expectUnauthorized(verifier.verify(token), 'INVALID_TOKEN');
    });

    it('rejects an HS256 token signed with the public key', async () => {
      const {publicKey} = await generateKeyPair('RS256');
      const pem = await exportSPKI(publicKey);
      const token = await signHs({sub: 'u1'}, {secret: pem});
      await expectUnauthorized(
        givenVerifier({publicKey: pem}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('fails to resolve with an invalid PEM', () => {
      expect(() => givenVerifier({publicKey: 'not a key'})).to.throw(
        /not a valid PEM public key/,
      );
    });
  });

  describe('configuration', () => {
    it('rejects every token when nothing is configured', async () => {
      const token = await signHs({sub: 'u1'});
      await expectUnauthorized(
        givenVerifier({}).verify(token),
        'INVALID_TOKEN',
      );
    });

    it('reads JWT_SECRET and JWT_ISSUER when the config has none', async () => {
      process.env.JWT_SECRET = SECRET;
      process.env.JWT_ISSUER = 'env-issuer';
      const verifier = givenVerifier({});
      const good = await signHs({sub: 'u1', iss: 'env-issuer'});
      expect(await verifier.verify(good)).to.eql({id: 'u1', tenantId: ''});
      const bad = await signHs({sub: 'u1', iss: 'other'});
      await expectUnauthorized(verifier.verify(bad), 'INVALID_TOKEN');
    });

    it('reads JWT_PUBLIC_KEY with escaped newlines', async () => {
      const {publicKey, privateKey} = await generateKeyPair('ES256');
      const pem = await exportSPKI(publicKey);
      process.env.JWT_PUBLIC_KEY = pem.replace(/\n/g, '\\n');
      const token = await sign({sub: 'u1'}, 'ES256', privateKey);
      expect(await givenVerifier({}).verify(token)).to.eql({
        id: 'u1',
        tenantId: '',
      });
    });

    it('prefers the config over the environment, ignoring empty values', () => {
      const settings = readJwtSettings(
        {secret: 'from-config', issuer: ''},
        {JWT_SECRET: 'from-env', JWT_ISSUER: 'env-issuer', JWT_PUBLIC_KEY: ' '},
      );
      expect(settings).to.eql({
        secret: 'from-config',
        publicKey: undefined,
        issuer: 'env-issuer',
      });
    });
  });
});

function givenVerifier(jwt: ChatJwtConfig): TokenVerifier {
  const config = resolveChatServiceConfig({authentication: {jwt}});
  return new JwtTokenVerifierProvider(config).value();
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

async function signHs(
  claims: JWTPayload,
  options: {alg?: string; secret?: string; exp?: number | null} = {},
): Promise<string> {
  const key = new TextEncoder().encode(options.secret ?? SECRET);
  return sign(claims, options.alg ?? 'HS256', key, options.exp);
}

async function sign(
  claims: JWTPayload,
  alg: string,
  key: Parameters<SignJWT['sign']>[0],
  exp: number | null = now() + 600,
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({alg}).setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(key);
}

function unsignedToken(claims: JWTPayload): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({alg: 'none', typ: 'JWT'})}.${encode(claims)}.`;
}

async function expectUnauthorized(
  promise: Promise<unknown>,
  code: string,
): Promise<void> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: {statusCode: number; name: string; code: string}) => e,
  );
  expect({statusCode: err.statusCode, name: err.name, code: err.code}).to.eql({
    statusCode: 401,
    name: 'UnauthorizedError',
    code,
  });
}
