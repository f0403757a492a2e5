import {AuthenticationStrategy} from '@loopback/authentication';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {ChatServiceBindings} from '../..';
import {
  bearer,
  givenUser,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  tokenFor,
  givenChatSuite,
} from '../fixtures';

const USER = randomUUID();

const NO_PROFILE = {
  error: {
    statusCode: 401,
    name: 'UnauthorizedError',
    message: 'Authentication did not identify a user.',
    code: 'INVALID_TOKEN',
  },
};

describe('Authentication configuration (acceptance)', () => {
  describe('with allowMissingExpiration', () => {
    const lenient = givenChatSuite({
      authentication: {
        jwt: {
          secret: TEST_JWT_SECRET,
          issuer: TEST_JWT_ISSUER,
          allowMissingExpiration: true,
        },
      },
    });

    it('accepts a token without exp', async () => {
      const res = await lenient.client
        .get('/unread')
        .set('Authorization', await bearer(USER, {withoutExp: true}))
        .expect(200);
      expect(res.body).to.eql({total: 0, conversations: [], truncated: false});
    });

    it('still rejects an expired token', async () => {
      const token = await tokenFor(USER, {
        expiresIn: Math.floor(Date.now() / 1000) - 60,
      });
      const res = await lenient.client
        .get('/unread')
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      expect(res.body.error.code).to.equal('TOKEN_EXPIRED');
    });
  });

  describe('with no secret or public key configured', () => {
    const JWT_ENV = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_ISSUER'];
    const saved: Record<string, string | undefined> = {};
    before(() => {
      for (const name of JWT_ENV) {
        saved[name] = process.env[name];
        delete process.env[name];
      }
    });
    const keyless = givenChatSuite({authentication: {jwt: {}}});
    after(() => {
      for (const name of JWT_ENV) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });

    it('rejects every token with 401', async () => {
      for (const secret of [
        TEST_JWT_SECRET,
        'any-other-secret-0123456789abcdef',
      ]) {
        const res = await keyless.client
          .get('/conversations')
          .set('Authorization', await bearer(USER, {secret}))
          .expect(401);
        expect(res.body).to.eql({
          error: {
            statusCode: 401,
            name: 'UnauthorizedError',
            message:
              'Token cannot be verified: no JWT secret or public key is configured.',
            code: 'INVALID_TOKEN',
          },
        });
      }
    });
  });

  describe('with a strategy bound by the host', () => {
    /** Trusts an `x-user` header (`user` or `user@tenant`). */
    class HeaderStrategy implements AuthenticationStrategy {
      name = 'x-user';
      async authenticate(request: Request): Promise<UserProfile | undefined> {
        const header = request.headers['x-user'];
        if (typeof header !== 'string') return undefined;
        const [id, tenantId] = header.split('@');
        return {[securityId]: id, id, tenantId};
      }
    }
    const custom = givenChatSuite(
      {},
      {
        beforeStart: app =>
          app.bind(ChatServiceBindings.AUTH_STRATEGY).toClass(HeaderStrategy),
      },
    );

    it('serves the API to the users the strategy returns', async () => {
      const alice = randomUUID();
      const bob = randomUUID();
      const created = await custom.client
        .post('/conversations')
        .set('x-user', alice)
        .send({type: 'direct', memberIds: [bob]})
        .expect(201);
      await custom.client
        .post(`/conversations/${created.body.id}/messages`)
        .set('x-user', alice)
        .send({body: 'hello'})
        .expect(201);
      const unread = await custom.client
        .get('/unread')
        .set('x-user', bob)
        .expect(200);
      expect(unread.body).to.eql({
        total: 1,
        conversations: [{conversationId: created.body.id, unreadCount: 1}],
        truncated: false,
      });
      // the tenant the strategy returns scopes the data
      await custom.client
        .get(`/conversations/${created.body.id}`)
        .set('x-user', `${bob}@other-tenant`)
        .expect(404);
    });

    it('no longer accepts the default bearer tokens', async () => {
      const user = await givenUser();
      const res = await custom.client
        .get('/conversations')
        .set('Authorization', user.auth)
        .expect(401);
      expect(res.body).to.eql(NO_PROFILE);
    });

    it('is 401 when the strategy returns a profile without an id', async () => {
      const res = await custom.client
        .get('/unread')
        .set('x-user', '')
        .expect(401);
      expect(res.body).to.eql(NO_PROFILE);
    });
  });
});
