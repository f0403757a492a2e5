import {expect} from '@loopback/testlab';
import {SignJWT, UnsecuredJWT} from 'jose';
import {randomUUID} from 'node:crypto';
import {
  bearer,
  givenGroup,
  givenUser,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  tokenFor,
  givenChatSuite,
} from '../fixtures';

const ID = randomUUID();
const OTHER = randomUUID();
const MESSAGE = randomUUID();

/** Every operation of the component, with a body that would be valid. */
const ENDPOINTS: {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  body?: object;
}[] = [
  {method: 'post', path: '/conversations', body: {type: 'group', title: 't'}},
  {method: 'get', path: '/conversations'},
  {method: 'get', path: `/conversations/${ID}`},
  {method: 'patch', path: `/conversations/${ID}`, body: {title: 'New'}},
  {method: 'get', path: `/conversations/${ID}/members`},
  {
    method: 'post',
    path: `/conversations/${ID}/members`,
    body: {userIds: [OTHER]},
  },
  {
    method: 'patch',
    path: `/conversations/${ID}/members/${OTHER}`,
    body: {role: 'admin'},
  },
  {method: 'delete', path: `/conversations/${ID}/members/${OTHER}`},
  {method: 'post', path: `/conversations/${ID}/messages`, body: {body: 'hi'}},
  {method: 'get', path: `/conversations/${ID}/messages`},
  {method: 'get', path: `/conversations/${ID}/messages/${MESSAGE}`},
  {
    method: 'patch',
    path: `/conversations/${ID}/messages/${MESSAGE}`,
    body: {body: 'x'},
  },
  {method: 'delete', path: `/conversations/${ID}/messages/${MESSAGE}`},
  {method: 'post', path: `/conversations/${ID}/read`, body: {seq: 1}},
  {method: 'get', path: `/conversations/${ID}/messages/${MESSAGE}/receipts`},
  {method: 'get', path: '/unread'},
];

const MISSING_TOKEN = {
  error: {
    statusCode: 401,
    name: 'UnauthorizedError',
    message: 'Authorization header with a Bearer token is required.',
    code: 'MISSING_TOKEN',
  },
};

/** The 401 body of a token that fails verification in jose. */
function invalidToken(reason: string) {
  return {
    error: {
      statusCode: 401,
      name: 'UnauthorizedError',
      message: `Invalid token: ${reason}.`,
      code: 'INVALID_TOKEN',
    },
  };
}

const NO_USER = {
  error: {
    statusCode: 401,
    name: 'UnauthorizedError',
    message: 'Token has no user id (claim "sub" or "id").',
    code: 'INVALID_TOKEN',
  },
};

const NO_PROFILE = {
  error: {
    statusCode: 401,
    name: 'UnauthorizedError',
    message: 'Authentication did not identify a user.',
    code: 'INVALID_TOKEN',
  },
};
const BAD_USER_ID = {
  error: {
    ...NO_PROFILE.error,
    message:
      'The user id is longer than 255 characters as a JSON string, or ' +
      'contains NUL or unpaired surrogates.',
  },
};

/** Signs arbitrary claims (no `sub` unless given) as the test issuer. */
function signClaims(claims: Record<string, unknown>) {
  return new SignJWT(claims)
    .setProtectedHeader({alg: 'HS256'})
    .setIssuedAt()
    .setIssuer(TEST_JWT_ISSUER)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

describe('Authentication (acceptance)', () => {
  const testApp = givenChatSuite();

  function call(e: (typeof ENDPOINTS)[number], auth?: string) {
    const req = testApp.client[e.method](e.path);
    const sent = auth === undefined ? req : req.set('Authorization', auth);
    return e.body ? sent.send(e.body) : sent;
  }

  describe('every endpoint', () => {
    for (const e of ENDPOINTS) {
      const name = `${e.method.toUpperCase()} ${e.path.replace(/[0-9a-f-]{36}/g, '{id}')}`;

      it(`${name}: no token is 401 MISSING_TOKEN`, async () => {
        const res = await call(e).expect(401);
        expect(res.body).to.eql(MISSING_TOKEN);
      });

      it(`${name}: a token signed with another secret is 401 INVALID_TOKEN`, async () => {
        const auth = await bearer(OTHER, {
          secret: 'not-the-secret-of-this-app-0123456789',
        });
        const res = await call(e, auth).expect(401);
        expect(res.body).to.eql(invalidToken('signature verification failed'));
      });
    }
  });

  describe('token failures on GET /conversations', () => {
    const get = (auth: string) =>
      testApp.client.get('/conversations').set('Authorization', auth);

    it('rejects a wrong issuer', async () => {
      const res = await get(
        await bearer(OTHER, {issuer: 'someone-else'}),
      ).expect(401);
      expect(res.body).to.eql(invalidToken('unexpected "iss" claim value'));
    });

    it('rejects an expired token with TOKEN_EXPIRED', async () => {
      const token = await tokenFor(OTHER, {
        expiresIn: Math.floor(Date.now() / 1000) - 60,
      });
      const res = await get(`Bearer ${token}`).expect(401);
      expect(res.body).to.eql({
        error: {
          statusCode: 401,
          name: 'UnauthorizedError',
          message: 'Token has expired.',
          code: 'TOKEN_EXPIRED',
        },
      });
    });

    it('rejects a token without exp', async () => {
      const res = await get(await bearer(OTHER, {withoutExp: true})).expect(
        401,
      );
      expect(res.body).to.eql(invalidToken('missing required "exp" claim'));
    });

    it('rejects a token with neither sub nor id', async () => {
      const token = await signClaims({tenantId: 't1'});
      const res = await get(`Bearer ${token}`).expect(401);
      expect(res.body).to.eql(NO_USER);
    });

    it('rejects an unsigned alg:none token', async () => {
      const token = new UnsecuredJWT({sub: OTHER})
        .setIssuer(TEST_JWT_ISSUER)
        .setIssuedAt()
        .setExpirationTime('1h')
        .encode();
      const res = await get(`Bearer ${token}`).expect(401);
      expect(res.body).to.eql(
        invalidToken('"alg" (Algorithm) Header Parameter value not allowed'),
      );
    });

    it('rejects a Basic authorization header', async () => {
      const basic = Buffer.from(`${OTHER}:password`).toString('base64');
      const res = await get(`Basic ${basic}`).expect(401);
      expect(res.body).to.eql(MISSING_TOKEN);
    });

    it('rejects a sub longer than 255 characters', async () => {
      const res = await get(await bearer('u'.repeat(256))).expect(401);
      expect(res.body).to.eql(BAD_USER_ID);
    });

    it('rejects user and tenant ids the database cannot hold', async () => {
      const nul = String.fromCharCode(0);
      for (const sub of [`a${nul}b`, 'lone \ud800 surrogate']) {
        const res = await get(await bearer(sub)).expect(401);
        expect(res.body).to.eql(BAD_USER_ID);
      }
      for (const tenantId of [`t${nul}`, '\udfff', 't'.repeat(256)]) {
        const res = await get(await bearer(OTHER, {tenantId})).expect(401);
        expect(res.body).to.eql({
          error: {
            statusCode: 401,
            name: 'UnauthorizedError',
            message:
              'The tenantId is not a string of at most 255 characters ' +
              'without NUL or unpaired surrogates.',
            code: 'INVALID_TOKEN',
          },
        });
      }
    });

    it('accepts a sub of exactly 255 characters', async () => {
      const res = await get(await bearer('u'.repeat(255))).expect(200);
      expect(res.body).to.eql({items: [], nextCursor: null});
    });

    it('accepts a sourceloop token carrying id instead of sub', async () => {
      const userId = randomUUID();
      const token = await signClaims({id: userId});
      const created = await testApp.client
        .post('/conversations')
        .set('Authorization', `Bearer ${token}`)
        .send({type: 'group', title: 'Sourceloop'})
        .expect(201);
      expect(created.body.members).to.containDeep([{userId, role: 'owner'}]);
      // the same user, through either kind of token, sees it
      for (const auth of [`Bearer ${token}`, await bearer(userId)]) {
        const res = await get(auth).expect(200);
        expect(res.body.items.map((c: {id: string}) => c.id)).to.eql([
          created.body.id,
        ]);
      }
    });
  });

  it('a valid token reaches the handlers (sanity check of the fixture)', async () => {
    const owner = await givenUser();
    const group = await givenGroup(testApp.client, owner);
    const res = await testApp.client
      .get(`/conversations/${group.id}`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(res.body.id).to.equal(group.id);
  });
});
