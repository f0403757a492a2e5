import {expect} from '@loopback/testlab';
import {ChatServiceBindings, ChatServiceConfig} from '../..';
import {
  CapturedLogger,
  eventually,
  givenGroup,
  givenTestApp,
  givenUsers,
  insertEventWithoutNews,
  messageBodies,
  stopTestApp,
  TcpProxy,
  TestApp,
  testDatabaseUrl,
  testDbQuery,
  TestUser,
  truncateChatTables,
  TestStreams,
  describeOn,
} from '../fixtures';

const UNREADABLE = /event hub cannot read the event log/;
const READABLE = /event hub reads the event log again/;

describe('live delivery heals after faults (integration)', () => {
  const streams = new TestStreams();
  let testApp: TestApp | undefined;
  let proxy: TcpProxy | undefined;
  let logger: CapturedLogger;

  beforeEach(truncateChatTables);
  beforeEach(() => {
    logger = new CapturedLogger();
  });
  afterEach(async () => {
    streams.closeAll();
    await stopTestApp(testApp);
    await proxy?.close();
    testApp = proxy = undefined;
  });

  /** An app with `realtime`, the captured logger, its pool at `databaseUrl`. */
  async function givenApp(
    realtime: ChatServiceConfig['realtime'],
    databaseUrl?: string,
  ): Promise<TestApp> {
    testApp = await givenTestApp(
      {realtime},
      {
        databaseUrl,
        beforeStart: app => app.bind(ChatServiceBindings.LOGGER).to(logger),
      },
    );
    return testApp;
  }

  /** A proxy in front of the test database, and the URL through it. */
  async function givenProxy(): Promise<string> {
    proxy = await TcpProxy.for(testDatabaseUrl());
    return proxy.urlThrough(testDatabaseUrl());
  }

  /**
   * Bob's stream, once it is fully open: its presence is written (a write
   * that fails closes the stream), as alice's stream shows.
   */
  async function streamOfBob(app: TestApp, alice: TestUser, bob: TestUser) {
    const aliceStream = await stream(app, alice);
    const bobStream = await stream(app, bob);
    await aliceStream.waitFor(
      'presence',
      f => f.data.userId === bob.id && f.data.online === true,
    );
    return bobStream;
  }

  const stream = (app: TestApp, user: TestUser) => streams.connect(app, user);

  it('delivers an event no bus announced within realtime.catchUpSeconds', async () => {
    const app = await givenApp({catchUpSeconds: 1});
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(app.client, alice, [bob]);
    const bobStream = await stream(app, bob);
    const id = await insertEventWithoutNews(group.id, alice.id);
    const frame = await bobStream.waitFor(
      'read.updated',
      f => Number(f.id) === id,
    );
    expect(frame.data).to.containDeep({
      conversationId: group.id,
      userId: alice.id,
    });
  });

  it('logs once that the hub cannot read the log, and delivers what it missed when the database is back', async () => {
    const app = await givenApp({catchUpSeconds: 1}, await givenProxy());
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(app.client, alice, [bob]);
    const bobStream = await streamOfBob(app, alice, bob);
    proxy!.cut();
    const id = await insertEventWithoutNews(group.id, alice.id);
    await eventually(
      () => logger.matching('warn', UNREADABLE).length > 0,
      'the hub logs that it cannot read the log',
    );
    proxy!.restore();
    await bobStream.waitFor('read.updated', f => Number(f.id) === id, 10000);
    await eventually(() => logger.matching('info', READABLE).length > 0);
    expect(logger.matching('warn', UNREADABLE)).to.have.length(1);
    expect(bobStream.events.map(e => Number(e.id))).to.eql([id]);
  });

  describeOn('postgres', 'with the postgres bus', () => {
    it('retries a drain that failed, with no further news (postgres bus)', async () => {
      // the bus LISTENs directly; only the pool (and so the hub) is cut off,
      // and the periodic catch-up is out of the way
      const app = await givenApp(
        {
          eventBus: 'postgres',
          postgresUrl: testDatabaseUrl(),
          catchUpSeconds: 3600,
        },
        await givenProxy(),
      );
      const [alice, bob] = await givenUsers(2);
      const group = await givenGroup(app.client, alice, [bob]);
      const bobStream = await streamOfBob(app, alice, bob);
      proxy!.cut();
      const id = await insertEventWithoutNews(group.id, alice.id);
      // the one piece of news: the hub cannot read the log when it comes
      await testDbQuery('SELECT pg_notify($1, $2)', [
        'chat_events',
        String(id),
      ]);
      await eventually(() => logger.matching('warn', UNREADABLE).length > 0);
      proxy!.restore();
      await bobStream.waitFor('read.updated', f => Number(f.id) === id, 10000);
    });

    it('reconnects the postgres bus with backoff after a long outage, logs it once, and delivers what was committed meanwhile', async () => {
      // only the LISTEN connection goes through the proxy; sends still work,
      // and the periodic catch-up is out of the way
      const app = await givenApp({
        eventBus: 'postgres',
        postgresUrl: await givenProxy(),
        catchUpSeconds: 3600,
      });
      const health = await app.app.get(ChatServiceBindings.HEALTH);
      const [alice, bob] = await givenUsers(2);
      const group = await givenGroup(app.client, alice, [bob]);
      const bobStream = await streamOfBob(app, alice, bob);
      await send(app, alice, group.id, 'before');
      await bobStream.waitFor('message.created');
      proxy!.cut();
      await eventually(
        async () => (await health.check()).eventBus.attempts >= 4,
        'four reconnect attempts',
      );
      const down = await health.check();
      expect(down).to.containDeep({
        status: 'unavailable',
        database: {status: 'up'},
        eventBus: {type: 'postgres', status: 'down'},
      });
      for (const body of ['during1', 'during2', 'during3']) {
        await send(app, alice, group.id, body);
      }
      // typing while the bus is down is dropped, not an error
      await app.client
        .post(`/conversations/${group.id}/typing`)
        .set('Authorization', alice.auth)
        .send({typing: true})
        .expect(204);
      expect(logger.matching('warn', /event bus lost/)).to.have.length(1);

      proxy!.restore();
      await bobStream.waitUntil(
        () => messageBodies(bobStream).length >= 4,
        10000,
      );
      await eventually(
        async () => (await health.check()).status === 'ok',
        'the bus is up again',
      );
      expect(logger.matching('info', /event bus is back after/)).to.have.length(
        1,
      );
      // LISTENing again: news arrive live
      await send(app, alice, group.id, 'after');
      await bobStream.waitUntil(() => messageBodies(bobStream).length >= 5);
      expect(messageBodies(bobStream)).to.eql([
        'before',
        'during1',
        'during2',
        'during3',
        'after',
      ]);
      const ids = bobStream.events.map(e => Number(e.id));
      expect([...new Set(ids)].sort((a, b) => a - b)).to.eql(ids);
      // one LISTEN connection, none left over from the failed attempts
      expect(proxy!.connections).to.equal(1);
    });
  });
});

async function send(app: TestApp, user: TestUser, id: string, body: string) {
  await app.client
    .post(`/conversations/${id}/messages`)
    .set('Authorization', user.auth)
    .send({body})
    .expect(201);
}
