import {AuthenticationStrategy} from '@loopback/authentication';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {expect} from '@loopback/testlab';
import {
  BearerTokenStrategy,
  CHAT_AUTHENTICATION_STRATEGY,
  ChatAuthenticationStrategy,
  extractBearerToken,
  toChatUserProfile,
} from '../../providers';
import {ChatUser, TokenVerifier} from '../../types';

describe('ChatAuthenticationStrategy (unit)', () => {
  it('is named chat-service', () => {
    const strategy = givenChatStrategy(async () => ({[securityId]: 'u1'}));
    expect(strategy.name).to.equal(CHAT_AUTHENTICATION_STRATEGY);
    expect(CHAT_AUTHENTICATION_STRATEGY).to.equal('chat-service');
  });

  it('normalises the delegate profile (id, tenantId)', async () => {
    const strategy = givenChatStrategy(async () => ({
      [securityId]: 'ignored',
      id: 'u1',
      tenantId: 't1',
      email: 'u1@example.com',
    }));
    expect(await strategy.authenticate(givenRequest())).to.eql({
      [securityId]: 'u1',
      id: 'u1',
      tenantId: 't1',
    });
  });

  it('takes the id from sub, then securityId', () => {
    expect(toChatUserProfile({[securityId]: 'x', sub: 's1'})).to.eql({
      [securityId]: 's1',
      id: 's1',
      tenantId: '',
    });
    expect(toChatUserProfile({[securityId]: 'x'})).to.eql({
      [securityId]: 'x',
      id: 'x',
      tenantId: '',
    });
  });

  it('rejects a profile without a usable id', async () => {
    for (const profile of [undefined, {[securityId]: ''}, {id: 7}]) {
      const strategy = givenChatStrategy(async () => profile as UserProfile);
      await expectUnauthorized(
        strategy.authenticate(givenRequest()),
        'INVALID_TOKEN',
      );
    }
  });

  it('rejects a non-string tenantId', () => {
    expectUnauthorizedSync(
      () => toChatUserProfile({id: 'u1', tenantId: 3}),
      'INVALID_TOKEN',
    );
  });

  it('lets the delegate errors through', async () => {
    const failure = new Error('delegate failed');
    const strategy = givenChatStrategy(async () => {
      throw failure;
    });
    await expect(strategy.authenticate(givenRequest())).to.be.rejectedWith(
      failure,
    );
  });
});

describe('BearerTokenStrategy (unit)', () => {
  it('verifies the bearer token and returns the profile', async () => {
    const seen: string[] = [];
    const strategy = new BearerTokenStrategy(
      givenVerifier(async token => {
        seen.push(token);
        return {id: 'u1', tenantId: 't1'};
      }),
    );
    const profile = await strategy.authenticate(givenRequest('Bearer abc.def'));
    expect(profile).to.eql({[securityId]: 'u1', id: 'u1', tenantId: 't1'});
    expect(seen).to.eql(['abc.def']);
  });

  it('rejects a missing header without calling the verifier', async () => {
    const strategy = new BearerTokenStrategy(
      givenVerifier(async () => {
        throw new Error('must not be called');
      }),
    );
    await expectUnauthorized(
      strategy.authenticate(givenRequest()),
      'MISSING_TOKEN',
    );
  });

  it('parses the scheme case-insensitively', () => {
    expect(extractBearerToken('bearer t0k.en')).to.equal('t0k.en');
    expect(extractBearerToken('Bearer  t0k.en ')).to.equal('t0k.en');
  });

  it('rejects malformed headers with MISSING_TOKEN', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Bearer a b',
      'Token abc',
    ]) {
      expectUnauthorizedSync(() => extractBearerToken(header), 'MISSING_TOKEN');
    }
  });
});

function givenChatStrategy(
  authenticate: AuthenticationStrategy['authenticate'],
): ChatAuthenticationStrategy {
  const delegate: AuthenticationStrategy = {name: 'host', authenticate};
  return new ChatAuthenticationStrategy(async () => delegate);
}

function givenVerifier(
  verify: (token: string) => Promise<ChatUser>,
): TokenVerifier {
  return {verify};
}

function givenRequest(authorization?: string): Request {
  return {headers: authorization ? {authorization} : {}} as Request;
}

type HttpLike = {statusCode: number; name: string; code: string};

function expectError(err: HttpLike, code: string): void {
  expect({statusCode: err.statusCode, name: err.name, code: err.code}).to.eql({
    statusCode: 401,
    name: 'UnauthorizedError',
    code,
  });
}

function expectUnauthorizedSync(fn: () => unknown, code: string): void {
  let caught: HttpLike | undefined;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!caught) throw new Error('expected an error');
  expectError(caught, code);
}

async function expectUnauthorized(
  promise: Promise<unknown>,
  code: string,
): Promise<void> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: HttpLike) => e,
  );
  expectError(err, code);
}
