import {expect} from '@loopback/testlab';
import {
  givenGroup,
  givenUsers,
  TestUser,
  givenChatSuite,
  givenMessage,
} from '../fixtures';

describe('GET /events (acceptance)', () => {
  const testApp = givenChatSuite();
  const stream = (user: TestUser, headers: Record<string, string> = {}) =>
    testApp.stream(user, headers);

  const send = (user: TestUser, conversationId: string, body: string) =>
    givenMessage(testApp.client, user, conversationId, body);

  it('refuses a stream without a token', async () => {
    const res = await testApp.client.get('/events').expect(401);
    expect(res.body.error.code).to.equal('MISSING_TOKEN');
  });

  it('accepts the token as access_token, for EventSource', async () => {
    const [alice] = await givenUsers(1);
    const token = alice.auth.replace('Bearer ', '');
    const client = await testApp.connect(`/events?access_token=${token}`);
    expect(client.status).to.equal(200);
  });

  it('delivers a message to the members, as an SSE frame', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const bobStream = await stream(bob);
    const message = await send(alice, group.id, 'hello');
    const frame = await bobStream.waitFor('message.created');
    expect(frame.id).to.equal(String(frame.data.id));
    expect(frame.data).to.containDeep({
      type: 'message.created',
      conversationId: group.id,
      actorId: alice.id,
      message: {id: message.id, seq: 1, body: 'hello', senderId: alice.id},
    });
    expect(typeof frame.data.createdAt).to.equal('string');
  });

  it('delivers nothing of a conversation to non-members', async () => {
    const [alice, bob, eve] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const eveStream = await stream(eve);
    const bobStream = await stream(bob);
    await send(alice, group.id, 'secret');
    await bobStream.waitFor('message.created');
    // a marker in eve's own conversation arrives after the secret would have
    const own = await givenGroup(testApp.client, eve, [], {title: 'Own'});
    await send(eve, own.id, 'marker');
    await eveStream.waitFor('message.created');
    expect(
      eveStream.frames.filter(f => f.data.conversationId === group.id),
    ).to.be.empty();
  });

  it('resumes with Last-Event-ID: exactly the missed events, then live', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const first = await stream(bob);
    await send(alice, group.id, 'm1');
    await first.waitFor('message.created');
    const seen = first.events[first.events.length - 1].id!;
    first.close();
    for (const body of ['m2', 'm3', 'm4']) await send(alice, group.id, body);
    const resumed = await stream(bob, {'Last-Event-ID': seen});
    await resumed.waitUntil(f => f.filter(x => x.id).length >= 3);
    await send(alice, group.id, 'm5');
    await resumed.waitUntil(f => f.filter(x => x.id).length >= 4);
    const bodies = resumed.events.map(
      e => (e.data.message as {body: string}).body,
    );
    expect(bodies).to.eql(['m2', 'm3', 'm4', 'm5']);
    const ids = resumed.events.map(e => Number(e.id));
    expect(ids[0]).to.be.greaterThan(Number(seen));
    expect([...ids].sort((a, b) => a - b)).to.eql(ids);
  });

  it('resumes from the lastEventId query parameter too', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const res = await testApp.client
      .get('/sync')
      .set('Authorization', bob.auth)
      .expect(200);
    const since = res.body.nextCursor;
    await send(alice, group.id, 'after');
    const client = await testApp.connect(`/events?lastEventId=${since}`, {
      Authorization: bob.auth,
    });
    const frame = await client.waitFor('message.created');
    expect((frame.data.message as {body: string}).body).to.equal('after');
  });

  it('answers 422 for a Last-Event-ID that is not an event id', async () => {
    const [bob] = await givenUsers(1);
    const res = await testApp.client
      .get('/events')
      .set('Authorization', bob.auth)
      .set('Last-Event-ID', 'abc')
      .expect(422);
    expect(res.body.error).to.containDeep({
      statusCode: 422,
      code: 'INVALID_FIELD',
    });
    expect(res.body.error.message).to.match(/Last-Event-ID/);
  });
});
