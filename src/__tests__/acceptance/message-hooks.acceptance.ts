import {Constructor, inject} from '@loopback/core';
import {expect} from '@loopback/testlab';
import {
  asMessageHook,
  ChatServiceBindings,
  MessageDraft,
  MessageHook,
  MessageHookContext,
  MessageService,
  rejectMessage,
  UserProfileResolver,
} from '../..';
import {
  givenGroup,
  givenUsers,
  testDbQuery,
  TestUser,
  givenChatSuite,
  eventually,
} from '../fixtures';

interface Saved {
  message: Record<string, unknown>;
  context: MessageHookContext;
  committed: boolean;
}
const saved: Saved[] = [];

class MaskHook implements MessageHook {
  beforeSave(draft: MessageDraft) {
    return {body: draft.body.replace(/darn/g, '****')};
  }
}

class NoLinksHook implements MessageHook {
  beforeSave(draft: MessageDraft) {
    if (/https?:/.test(draft.body)) throw rejectMessage('no links');
  }
}

class RecordingHook implements MessageHook {
  async afterSave(message: object, context: MessageHookContext) {
    const {id} = message as {id: string};
    // another connection sees the message: the transaction has committed
    const rows = await testDbQuery(
      'SELECT id FROM chat_messages WHERE id = $1',
      [id],
    );
    saved.push({message: {...message}, context, committed: rows.length === 1});
  }
}

class FailingHook implements MessageHook {
  afterSave(): void {
    throw new Error('the after-save hook failed');
  }
}

class StockBot implements MessageHook {
  constructor(
    @inject(ChatServiceBindings.MESSAGE_SERVICE)
    private messages: MessageService,
  ) {}

  async afterSave(message: object, context: MessageHookContext) {
    const symbol = /^\/stock=(\w+)$/.exec((message as {body: string}).body);
    if (!symbol) return;
    const {conversationId, tenantId} = context;
    await this.messages.send(
      {
        ...{conversationId, tenantId, userId: 'stock-bot', type: 'group'},
        ...{role: 'member', lastReadSeq: 0, lastSeq: 0},
      },
      {body: `${symbol[1]} quote: 123.45`},
    );
  }
}

describe('message hooks (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser;
  let group: {id: string};
  const keys: string[] = [];
  beforeEach(async () => {
    saved.splice(0);
    [alice] = await givenUsers(1);
    group = await givenGroup(testApp.client, alice);
  });
  afterEach(() => keys.splice(0).forEach(key => testApp.app.unbind(key)));

  function hook(name: string, hookClass: Constructor<MessageHook>) {
    keys.push(`hooks.${name}`);
    testApp.app.bind(`hooks.${name}`).toClass(hookClass).apply(asMessageHook);
  }

  function send(body: object, user = alice) {
    return testApp.client
      .post(`/conversations/${group.id}/messages`)
      .set('Authorization', user.auth)
      .send(body);
  }

  async function history() {
    const res = await testApp.client
      .get(`/conversations/${group.id}/messages`)
      .set('Authorization', alice.auth)
      .expect(200);
    return res.body.items as Record<string, unknown>[];
  }

  it('stores and answers the body a before-save hook transforms', async () => {
    hook('mask', MaskHook);
    hook('record', RecordingHook);
    const sent = await send({body: 'darn it'}).expect(201);
    expect(sent.body.body).to.equal('**** it');
    await eventually(() => saved.length === 1);
    const edited = await testApp.client
      .patch(`/conversations/${group.id}/messages/${sent.body.id}`)
      .set('Authorization', alice.auth)
      .send({body: 'darn, darn'})
      .expect(200);
    expect(edited.body.body).to.equal('****, ****');
    expect((await history()).map(m => m.body)).to.eql(['****, ****']);
    // after-save sees what was stored, for the send and for the edit
    await eventually(() => saved.length === 2);
    expect(saved.map(s => [s.context.action, s.message.body])).to.eql([
      ['create', '**** it'],
      ['edit', '****, ****'],
    ]);
  });

  it('refuses a message a before-save hook rejects, storing nothing', async () => {
    hook('no-links', NoLinksHook);
    const res = await send({body: 'see http://spam'}).expect(422);
    expect(res.body).to.eql({
      error: {
        statusCode: 422,
        name: 'UnprocessableEntityError',
        message: 'body: no links',
        code: 'MESSAGE_REJECTED',
        details: [
          {path: 'body', code: 'MESSAGE_REJECTED', message: 'body: no links'},
        ],
      },
    });
    expect(await history()).to.eql([]);
    const accepted = await send({body: 'no link here'}).expect(201);
    expect(accepted.body.seq).to.equal(1);
    const edit = await testApp.client
      .patch(`/conversations/${group.id}/messages/${accepted.body.id}`)
      .set('Authorization', alice.auth)
      .send({body: 'now https://spam'})
      .expect(422);
    expect(edit.body.error.code).to.equal('MESSAGE_REJECTED');
    expect((await history()).map(m => m.body)).to.eql(['no link here']);
  });

  it('runs after-save after the commit, once per stored message', async () => {
    hook('record', RecordingHook);
    const first = await send({body: 'hi', clientMessageId: 'c1'}).expect(201);
    await eventually(() => saved.length === 1);
    await send({body: 'hi', clientMessageId: 'c1'}).expect(200);
    await send({body: 'second'}).expect(201);
    await eventually(() => saved.length === 2);
    expect(saved[0].committed).to.be.true();
    expect(saved[0].context).to.eql({
      action: 'create',
      tenantId: '',
      conversationId: group.id,
      userId: alice.id,
    });
    expect(saved[0].message).to.containDeep({
      id: first.body.id,
      seq: 1,
      body: 'hi',
      senderId: alice.id,
    });
    expect(saved[1].message).to.containDeep({seq: 2, body: 'second'});
    expect(saved).to.have.length(2);
  });

  it('answers 201 when an after-save hook throws, and runs the others', async () => {
    hook('failing', FailingHook);
    hook('record', RecordingHook);
    const res = await send({body: 'still sent'}).expect(201);
    await eventually(() => saved.length === 1);
    expect(saved[0].message.id).to.equal(res.body.id);
    expect((await history()).map(m => m.body)).to.eql(['still sent']);
  });

  it('lets an after-save bot reply through the MessageService', async () => {
    hook('stock-bot', StockBot);
    // writes re-check membership: the bot is a member like any other
    await testApp.client
      .post(`/conversations/${group.id}/members`)
      .set('Authorization', alice.auth)
      .send({userIds: ['stock-bot']})
      .expect(200);
    await send({body: '/stock=AAPL'}).expect(201);
    await eventually(async () => (await history()).length === 2);
    expect(await history()).to.containDeepOrdered([
      {seq: 1, senderId: alice.id, body: '/stock=AAPL'},
      {seq: 2, senderId: 'stock-bot', body: 'AAPL quote: 123.45'},
    ]);
  });
});

const resolverCalls: string[][] = [];

class TestProfiles implements UserProfileResolver {
  static known = new Map<string, string>();

  async resolve(userIds: string[]) {
    resolverCalls.push(userIds);
    const profiles = new Map<
      string,
      {displayName: string; avatarUrl: string}
    >();
    for (const id of userIds) {
      const name = TestProfiles.known.get(id);
      if (name) {
        profiles.set(id, {displayName: name, avatarUrl: `https://img/${name}`});
      }
    }
    return profiles;
  }
}

describe('user profile resolver (acceptance)', () => {
  const testApp = givenChatSuite(
    {},
    {
      beforeStart: app =>
        app
          .bind(ChatServiceBindings.USER_PROFILE_RESOLVER)
          .toClass(TestProfiles),
    },
  );

  it('adds profiles to members, null for unknown users, one call per request', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    TestProfiles.known.set(alice.id, 'Alice').set(bob.id, 'Bob');
    const withBob = await givenGroup(testApp.client, alice, [bob]);
    await givenGroup(testApp.client, alice, [bob, carol]);
    const profile = (name: string) => ({
      displayName: name,
      avatarUrl: `https://img/${name}`,
    });

    resolverCalls.splice(0);
    const members = await testApp.client
      .get(`/conversations/${withBob.id}/members`)
      .set('Authorization', alice.auth)
      .expect(200);
    expect(resolverCalls).to.have.length(1);
    expect(members.body.items).to.containDeep([
      {userId: alice.id, profile: profile('Alice')},
      {userId: bob.id, profile: profile('Bob')},
    ]);

    resolverCalls.splice(0);
    const list = await testApp.client
      .get('/conversations')
      .set('Authorization', alice.auth)
      .expect(200);
    expect(resolverCalls).to.have.length(1);
    expect([...resolverCalls[0]].sort()).to.eql(
      [alice.id, bob.id, carol.id].sort(),
    );
    const all = list.body.items.flatMap(
      (c: {members: Record<string, unknown>[]}) => c.members,
    );
    expect(all).to.have.length(5);
    for (const member of all) {
      const name = TestProfiles.known.get(member.userId as string);
      expect(member.profile).to.eql(name ? profile(name) : null);
    }
  });
});
