import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  givenGroup,
  givenUsers,
  SseClient,
  SseFrame,
  TestUser,
  givenChatSuite,
  eventually,
  expectNothingWithin,
  storedConnectionTotal,
  notFoundBody,
} from '../fixtures';

const bodyOf = (f: SseFrame) => (f.data.message as {body: string}).body;

describe('typing and presence (acceptance)', () => {
  const testApp = givenChatSuite();
  const stream = (user: TestUser) => testApp.stream(user);
  const close = (client: SseClient) => client.close();

  function typing(user: TestUser, conversationId: string, body: object) {
    return testApp.client
      .post(`/conversations/${conversationId}/typing`)
      .set('Authorization', user.auth)
      .send(body);
  }

  /** Sends `body` in `conversationId` and waits until `client` has it. */
  async function marker(
    client: SseClient,
    user: TestUser,
    conversationId: string,
    body = 'marker',
  ) {
    await testApp.client
      .post(`/conversations/${conversationId}/messages`)
      .set('Authorization', user.auth)
      .send({body})
      .expect(201);
    await client.waitFor('message.created', f => bodyOf(f) === body);
  }

  async function hubStreams(count: number) {
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    await eventually(() => hub.streams.size === count, `${count} streams`);
  }

  async function membersOf(user: TestUser, conversationId: string) {
    const res = await testApp.client
      .get(`/conversations/${conversationId}/members`)
      .set('Authorization', user.auth)
      .expect(200);
    return res.body.items as Record<string, unknown>[];
  }

  const presenceOf = (client: SseClient, user: TestUser) =>
    client.frames.filter(
      f => f.event === 'presence' && f.data.userId === user.id,
    );

  it('sends typing to the other members, without an id', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const aliceStream = await stream(alice);
    const bobStream = await stream(bob);
    await typing(alice, group.id, {typing: true}).expect(204);
    const frame = await bobStream.waitFor('typing');
    expect(frame.id).to.be.undefined();
    expect(frame.data).to.eql({
      type: 'typing',
      conversationId: group.id,
      userId: alice.id,
      typing: true,
      id: null,
      createdAt: frame.data.createdAt,
    });
    expect(typeof frame.data.createdAt).to.equal('string');
    await marker(aliceStream, bob, group.id);
    expect(aliceStream.frames.filter(f => f.event === 'typing')).to.eql([]);
  });

  it('answers 404 to a non-member', async () => {
    const [alice, bob, eve] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const res = await typing(eve, group.id, {typing: true}).expect(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });

  for (const [body, named] of [
    [{typing: 'yes'}, /typing/],
    [{}, /typing/],
    [{typing: true, userId: 'someone'}, /userId/],
  ] as const) {
    it(`answers 422 to ${JSON.stringify(body)}`, async () => {
      const [alice, bob] = await givenUsers(2);
      const group = await givenGroup(testApp.client, alice, [bob]);
      const res = await typing(alice, group.id, body).expect(422);
      expect(res.body.error).to.containDeep({
        statusCode: 422,
        name: 'UnprocessableEntityError',
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.error.message).to.match(named);
    });
  }

  it('throttles repeated typing:true, but not a change to false', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const bobStream = await stream(bob);
    await typing(alice, group.id, {typing: true}).expect(204);
    await typing(alice, group.id, {typing: true}).expect(204);
    await typing(alice, group.id, {typing: false}).expect(204);
    await bobStream.waitFor('typing', f => f.data.typing === false);
    await marker(bobStream, alice, group.id);
    const sent = bobStream.frames.filter(f => f.event === 'typing');
    expect(sent.map(f => f.data.typing)).to.eql([true, false]);
  });

  it('tells contacts when a user comes online and goes offline', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const carols = await givenGroup(testApp.client, carol, [], {title: 'C'});
    const bobStream = await stream(bob);
    const carolStream = await stream(carol);
    const aliceStream = await stream(alice);
    const online = await bobStream.waitFor(
      'presence',
      f => f.data.userId === alice.id,
    );
    expect(online.id).to.be.undefined();
    expect(online.data).to.containDeep({
      type: 'presence',
      userId: alice.id,
      online: true,
      id: null,
    });
    expect(await membersOf(bob, group.id)).to.containDeep([
      {userId: alice.id, online: true, lastSeenAt: null},
    ]);
    close(aliceStream);
    const offline = await bobStream.waitFor(
      'presence',
      f => f.data.userId === alice.id && f.data.online === false,
    );
    expect(typeof offline.data.lastSeenAt).to.equal('string');
    const [member] = (await membersOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(member.online).to.be.false();
    expect(member.lastSeenAt).to.equal(offline.data.lastSeenAt);
    // carol shares no conversation with alice
    await marker(carolStream, carol, carols.id);
    expect(presenceOf(carolStream, alice)).to.eql([]);
  });

  it('sends online at the first stream and offline at the last only', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const bobStream = await stream(bob);
    const first = await stream(alice);
    await bobStream.waitFor('presence', f => f.data.userId === alice.id);
    const second = await stream(alice);
    await hubStreams(3);
    // the second stream's count is written: it announced whatever it would
    await eventually(async () => (await storedConnectionTotal(alice)) === 2);
    close(first);
    await hubStreams(2);
    await eventually(async () => (await storedConnectionTotal(alice)) === 1);
    // what was announced arrives before a message sent after it
    await marker(bobStream, alice, group.id);
    await expectNothingWithin(
      () => presenceOf(bobStream, alice).length > 1,
      'presence of alice while she stays online',
    );
    expect(presenceOf(bobStream, alice).map(f => f.data.online)).to.eql([true]);
    expect(await membersOf(bob, group.id)).to.containDeep([
      {userId: alice.id, online: true, lastSeenAt: null},
    ]);
    close(second);
    await bobStream.waitFor('presence', f => f.data.online === false);
    expect(presenceOf(bobStream, alice).map(f => f.data.online)).to.eql([
      true,
      false,
    ]);
  });
});
