import {expect} from '@loopback/testlab';
import http from 'node:http';
import {randomUUID} from 'node:crypto';
import {ChatServiceBindings, eventQueries, presenceQueries} from '../..';
import {
  eventually,
  givenGroup,
  givenTestApp,
  givenUsers,
  SseClient,
  stopTestApp,
  TestApp,
  TestUser,
  testDbQuery,
  givenChatSuite,
  storedConnections,
  TestStreams,
} from '../fixtures';

describe('presence counts (acceptance)', () => {
  const testApp = givenChatSuite();
  let other: TestApp | undefined;
  const streams = new TestStreams();
  afterEach(async () => {
    streams.closeAll();
    await stopTestApp(other);
    other = undefined;
  });

  async function stream(user: TestUser, app: TestApp = testApp) {
    const client = await streams.connect(app, user);
    expect(client.status).to.equal(200);
    return client;
  }

  const close = (client: SseClient) => client.close();

  const instanceOf = async (app: TestApp) =>
    (await app.app.get(ChatServiceBindings.PRESENCE_SERVICE)).instanceId;

  async function presenceOf(viewer: TestUser, conversationId: string) {
    const res = await testApp.client
      .get(`/conversations/${conversationId}/members`)
      .set('Authorization', viewer.auth)
      .expect(200);
    return res.body.items as Array<{
      userId: string;
      online: boolean;
      lastSeenAt: string | null;
    }>;
  }

  /** `count` message events in the log, queued at once and sequenced. */
  async function givenLoggedEvents(conversationId: string, count: number) {
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify({message: {body: `message ${i}`}});
      params.push(conversationId, body, new Date());
      const n = params.length;
      values.push(`('', $${n - 2}, 'message.created', NULL, $${n - 1}, $${n})`);
    }
    await testDbQuery(
      `INSERT INTO chat_event_queue
         (tenant_id, conversation_id, type, actor_id, payload, created_at)
       VALUES ${values.join(', ')}`,
      params,
    );
    const sequencer = await testApp.app.get(
      ChatServiceBindings.EVENT_SEQUENCER,
    );
    await eventually(async () => {
      await sequencer.sequence();
      const [row] = await testDbQuery(
        'SELECT COUNT(*) AS n FROM chat_event_queue',
      );
      return Number(row.n) === 0;
    }, 'events sequenced');
  }

  const presenceFrames = (client: SseClient, user: TestUser) =>
    client.frames
      .filter(f => f.event === 'presence' && f.data.userId === user.id)
      .map(f => f.data.online);

  it('does not count a stream that dropped during its replay', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, bob, [alice]);
    await givenLoggedEvents(group.id, 1100); // more than two replay pages
    const watcher = await stream(bob);
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    const url = new URL(`${testApp.app.restServer.url}/events`);
    // the oldest cursor still retained: the whole log is replayed
    const db = await testApp.app.get(ChatServiceBindings.DATABASE);
    const from = String(await eventQueries.oldestValidCursor(db));
    // a client that goes away as soon as the replay starts arriving
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        url,
        {headers: {Authorization: alice.auth, 'Last-Event-ID': from}},
        res => {
          if (res.statusCode !== 200) {
            reject(new Error(`GET /events answered ${res.statusCode}`));
          }
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', err => (req.destroyed ? undefined : reject(err)));
    });
    await watcher.waitFor(
      'presence',
      f => f.data.userId === alice.id && f.data.online === false,
    );
    expect(hub.streams.size).to.equal(1);
    expect(await storedConnections(alice)).to.eql({});
    const [member] = (await presenceOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(member.online).to.be.false();
    expect(typeof member.lastSeenAt).to.equal('string');
  });

  it('counts concurrent opens and closes of one user exactly', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, bob, [alice]);
    const here = await instanceOf(testApp);
    const watcher = await stream(bob);
    const open = (n: number) =>
      Promise.all(Array.from({length: n}, () => stream(alice)));
    const first = await open(12);
    await Promise.all([open(8), ...first.slice(0, 9).map(async c => close(c))]);
    // the opens are in; the server's count falls to 11 only once it has
    // seen every close (the stored count may pass 11 on its way)
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    await eventually(
      () => hub.streams.countOf('', alice.id) === 11,
      'the server to see 9 of the 20 streams closed',
    );
    await eventually(async () => {
      const stored = await storedConnections(alice);
      return JSON.stringify(stored) === JSON.stringify({[here]: 11});
    }, '11 streams stored, on this instance only');
    expect(await presenceOf(bob, group.id)).to.containDeep([
      {userId: alice.id, online: true, lastSeenAt: null},
    ]);
    streams.all.filter(c => c !== watcher).forEach(c => close(c));
    await watcher.waitFor('presence', f => f.data.online === false);
    expect(await storedConnections(alice)).to.eql({});
    expect(presenceFrames(watcher, alice)).to.eql([true, false]);
    const [member] = (await presenceOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(member).to.containDeep({online: false});
    expect(typeof member.lastSeenAt).to.equal('string');
  });

  it('stores exact counts per instance when two instances race', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, bob, [alice]);
    other = await givenTestApp();
    const here = await instanceOf(testApp);
    const there = await instanceOf(other);
    const open = (n: number) =>
      Promise.all(
        Array.from({length: n}, (_, i) =>
          stream(alice, i % 2 ? other! : testApp),
        ),
      );
    const first = await open(12);
    await Promise.all([open(8), ...first.slice(0, 9).map(async c => close(c))]);
    // of 12 + 8 opened, 9 closed: 6 + 4 - 5 = 5 here, 6 + 4 - 4 = 6 there
    await eventually(async () => {
      const counts = await storedConnections(alice);
      return counts[here] === 5 && counts[there] === 6;
    }, 'counts 5 and 6');
    expect(await storedConnections(alice)).to.eql({[here]: 5, [there]: 6});
    expect(await presenceOf(bob, group.id)).to.containDeep([
      {userId: alice.id, online: true, lastSeenAt: null},
    ]);
    streams.closeAll();
    await eventually(
      async () => Object.keys(await storedConnections(alice)).length === 0,
      'no rows left',
    );
    const [member] = (await presenceOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(member).to.containDeep({online: false});
  });

  it("removes a stopped instance's rows; its users go offline", async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, bob, [alice]);
    other = await givenTestApp();
    const there = await instanceOf(other);
    await stream(alice, other);
    await stream(alice, other);
    await eventually(
      async () => (await storedConnections(alice))[there] === 2,
      'two streams stored',
    );
    await stopTestApp(other);
    other = undefined;
    expect(await storedConnections(alice)).to.eql({});
    const [member] = (await presenceOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(member.online).to.be.false();
  });

  it('sweeps the rows of an instance that died, keeping last seen', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, bob, [alice]);
    const watcher = await stream(bob);
    const db = await testApp.app.get(ChatServiceBindings.DATABASE);
    const diedAt = new Date(Date.now() - 10 * 60 * 1000);
    const dead = randomUUID();
    await presenceQueries.lockUser(db, '', alice.id, diedAt);
    for (const user of [alice, bob]) {
      // an instance that died with alice's and bob's streams open
      await presenceQueries.setConnections(db, {
        tenantId: '',
        userId: user.id,
        instanceId: dead,
        connections: 3,
        updatedAt: diedAt,
      });
    }
    const [before] = (await presenceOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(before).to.containDeep({online: false});
    const presence = await testApp.app.get(
      ChatServiceBindings.PRESENCE_SERVICE,
    );
    await presence.refresh();
    const rows = await testDbQuery(
      'SELECT user_id FROM chat_presence WHERE instance_id = $1',
      [dead],
    );
    expect(rows).to.eql([]);
    // bob has a live stream here: his own row stays, alice's is gone
    expect(Object.keys(await storedConnections(bob))).to.have.length(1);
    await watcher.waitFor(
      'presence',
      f => f.data.userId === alice.id && f.data.online === false,
    );
    const [member] = (await presenceOf(bob, group.id)).filter(
      m => m.userId === alice.id,
    );
    expect(member).to.eql({
      ...member,
      online: false,
      lastSeenAt: diedAt.toISOString(),
    });
  });
});
