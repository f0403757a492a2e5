import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  givenGroup,
  givenTestApp,
  givenUsers,
  SseClient,
  stopTestApp,
  TestApp,
  TestUser,
  testDbQuery,
  truncateChatTables,
} from '../fixtures';

/** An SSE test setup: streams of users, closed after each test. */
function streamsOf(getApp: () => TestApp) {
  const clients: SseClient[] = [];
  return {
    async open(user: TestUser) {
      const client = await SseClient.connect(
        `${getApp().app.restServer.url}/events`,
        {Authorization: user.auth},
      );
      clients.push(client);
      return client;
    },
    closeAll() {
      clients.splice(0).forEach(c => c.close());
    },
  };
}

async function send(
  testApp: TestApp,
  user: TestUser,
  conversationId: string,
  body: string,
) {
  const res = await testApp.client
    .post(`/conversations/${conversationId}/messages`)
    .set('Authorization', user.auth)
    .send({body})
    .expect(201);
  return res.body;
}

/** Waits until `predicate` holds, polling. */
async function eventually(predicate: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

const bodyOf = (data: Record<string, unknown>) =>
  (data.message as {body: string}).body;

describe('GET /events: live delivery (acceptance)', () => {
  let testApp: TestApp;
  const streams = streamsOf(() => testApp);

  before(async () => {
    testApp = await givenTestApp();
  });
  after(() => stopTestApp(testApp));
  beforeEach(truncateChatTables);
  afterEach(() => streams.closeAll());

  it('gives a member added live their member.added, then the messages', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const carolStream = await streams.open(carol);
    await testApp.client
      .post(`/conversations/${group.id}/members`)
      .set('Authorization', alice.auth)
      .send({userIds: [carol.id]})
      .expect(200);
    await send(testApp, alice, group.id, 'welcome');
    await carolStream.waitFor('message.created');
    expect(carolStream.events.map(e => e.event)).to.eql([
      'member.added',
      'message.created',
    ]);
    expect(carolStream.events[0].data).to.containDeep({
      conversationId: group.id,
      members: [{userId: carol.id}],
    });
    expect(bodyOf(carolStream.events[1].data)).to.equal('welcome');
  });

  it('starts a stream without Last-Event-ID after what was committed before it, routed or not', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    const position = async () => {
      const [clock] = await testDbQuery<{position: number | string}>(
        'SELECT position FROM chat_event_clock WHERE id = 1',
      );
      return Number(clock.position);
    };
    const routed = await position();
    await eventually(() => hub.lastRoutedId === routed);
    // an event committed that this process has not routed yet (as when the
    // caller's own write is still on its way through the bus)
    const id = routed + 1;
    await testDbQuery(
      `INSERT INTO chat_events
         (id, tenant_id, conversation_id, type, actor_id, payload, created_at)
       VALUES ($1, '', $2, 'read.updated', $3, $4, $5)`,
      [
        id,
        group.id,
        alice.id,
        JSON.stringify({userId: alice.id, lastReadSeq: 0}),
        new Date(),
      ],
    );
    await testDbQuery(
      'UPDATE chat_event_clock SET position = $1 WHERE id = 1',
      [id],
    );
    const bobStream = await streams.open(bob);
    await send(testApp, alice, group.id, 'after the stream opened');
    await bobStream.waitFor('message.created');
    expect(bobStream.events.map(e => e.event)).to.eql(['message.created']);
    expect(hub.lastRoutedId).to.be.greaterThan(id);
  });

  it('gives a member removed live their member.removed, then nothing', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    const own = await givenGroup(testApp.client, bob, [], {title: 'Own'});
    const bobStream = await streams.open(bob);
    const carolStream = await streams.open(carol);
    await testApp.client
      .delete(`/conversations/${group.id}/members/${bob.id}`)
      .set('Authorization', alice.auth)
      .expect(204);
    await send(testApp, alice, group.id, 'without bob');
    await carolStream.waitFor('message.created');
    // a marker in bob's own conversation, sent after the message
    await send(testApp, bob, own.id, 'marker');
    await bobStream.waitFor(
      'message.created',
      f => bodyOf(f.data) === 'marker',
    );
    expect(bobStream.events.map(e => [e.event, e.data.conversationId])).to.eql([
      ['member.removed', group.id],
      ['message.created', own.id],
    ]);
    expect(bobStream.events[0].data).to.containDeep({userId: bob.id});
    expect(carolStream.events.map(e => e.event)).to.eql([
      'member.removed',
      'message.created',
    ]);
  });

  it('delivers read.updated to the other members', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    await send(testApp, alice, group.id, 'read me');
    const aliceStream = await streams.open(alice);
    const carolStream = await streams.open(carol);
    await testApp.client
      .post(`/conversations/${group.id}/read`)
      .set('Authorization', bob.auth)
      .send({seq: 1})
      .expect(200);
    for (const stream of [aliceStream, carolStream]) {
      const frame = await stream.waitFor('read.updated');
      expect(frame.data).to.containDeep({
        conversationId: group.id,
        userId: bob.id,
        lastReadSeq: 1,
      });
      expect(frame.id).to.equal(String(frame.data.id));
    }
  });

  it('removes a stream from the hub when its client disconnects', async () => {
    const [alice] = await givenUsers(1);
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    const stream = await streams.open(alice);
    await eventually(() => hub.streams.size === 1);
    stream.close();
    await eventually(() => hub.streams.size === 0);
  });
});

describe('GET /events: heartbeats (acceptance)', () => {
  let testApp: TestApp;
  const streams = streamsOf(() => testApp);

  before(async () => {
    testApp = await givenTestApp({realtime: {heartbeatSeconds: 0.2}});
  });
  after(() => stopTestApp(testApp));
  beforeEach(truncateChatTables);
  afterEach(() => streams.closeAll());

  it('sends comment lines on an idle stream', async () => {
    const [alice] = await givenUsers(1);
    const stream = await streams.open(alice);
    await eventually(() => stream.comments >= 1);
    const first = stream.comments;
    await eventually(() => stream.comments >= first + 2);
    expect(stream.frames).to.eql([]);
    expect(stream.ended).to.be.false();
  });
});
