import {RestApplication} from '@loopback/rest';
import {Client, createRestAppClient, expect} from '@loopback/testlab';
import {
  ChatDataSource,
  ChatServiceBindings,
  ChatServiceConfig,
  RedisEventBus,
} from '../..';
import {DemoApplication} from '../../demo/application';
import {
  CapturedLogger,
  closeTestDataSource,
  describeBackend,
  eventually,
  givenChatSuite,
  givenGroup,
  givenTestApp,
  givenUsers,
  SseClient,
  givenDemoApp,
  TestRedisServer,
  TestUser,
} from '../fixtures';
import {redisBusConfig} from '../fixtures/redis-bus';

describe(`the redis event bus across two apps (acceptance, ${describeBackend()})`, () => {
  let redis: TestRedisServer;
  before(async () => {
    redis = await TestRedisServer.start();
  });
  // news travel only through Redis: the periodic catch-up is out of the way
  const config = redisBusConfig(() => redis, {catchUpSeconds: 3600});
  const appA = givenChatSuite(config);
  const appB = givenChatSuite(config, {truncate: false});
  after(async () => {
    await redis?.stop();
  });

  function typing(user: TestUser, conversationId: string, through: Client) {
    return through
      .post(`/conversations/${conversationId}/typing`)
      .set('Authorization', user.auth)
      .send({typing: true})
      .expect(204);
  }

  const ephemeral = (client: SseClient) =>
    client.frames
      .filter(f => f.id === undefined)
      .map(f => [f.event, f.data.userId, f.data.online ?? f.data.typing]);

  it('is the bus realtime.eventBus redis binds', async () => {
    for (const {app} of [appA, appB]) {
      expect(await app.get(ChatServiceBindings.EVENT_BUS)).to.be.instanceOf(
        RedisEventBus,
      );
    }
  });

  it('streams on app B every event written through app A, once and in order', async () => {
    const [alice, bob] = await givenUsers(2);
    const bobOnB = await appB.stream(bob);
    const group = await givenGroup(appA.client, alice, [bob]);
    const sent = [];
    for (const body of ['one', 'two', 'three']) {
      const res = await appA.client
        .post(`/conversations/${group.id}/messages`)
        .set('Authorization', alice.auth)
        .send({body})
        .expect(201);
      sent.push(res.body);
    }
    await appA.client
      .patch(`/conversations/${group.id}/messages/${sent[1].id}`)
      .set('Authorization', alice.auth)
      .send({body: 'two, edited'})
      .expect(200);
    await appA.client
      .delete(`/conversations/${group.id}/messages/${sent[2].id}`)
      .set('Authorization', alice.auth)
      .expect(204);
    await bobOnB.waitFor('message.deleted');
    expect(bobOnB.events.map(e => e.event)).to.eql([
      'member.added',
      'message.created',
      'message.created',
      'message.created',
      'message.updated',
      'message.deleted',
    ]);
    const ids = bobOnB.events.map(e => Number(e.id));
    expect([...new Set(ids)].sort((x, y) => x - y)).to.eql(ids);
    const created = bobOnB.events.filter(e => e.event === 'message.created');
    expect(created.map(e => (e.data.message as {body: string}).body)).to.eql([
      'one',
      'two',
      'three',
    ]);
  });

  it('carries typing and presence between the apps, both ways', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(appA.client, alice, [bob]);
    const bobOnB = await appB.stream(bob);
    const aliceOnA = await appA.stream(alice);
    await bobOnB.waitFor('presence', f => f.data.userId === alice.id);
    await typing(alice, group.id, appA.client);
    await bobOnB.waitFor('typing');
    await typing(bob, group.id, appB.client);
    await aliceOnA.waitFor('typing');
    aliceOnA.close();
    await bobOnB.waitFor('presence', f => f.data.online === false);
    expect(ephemeral(bobOnB)).to.eql([
      ['presence', alice.id, true],
      ['typing', alice.id, true],
      ['presence', alice.id, false],
    ]);
    expect(ephemeral(aliceOnA)).to.containDeep([['typing', bob.id, true]]);
  });
});

describe('the redis event bus at start (acceptance)', () => {
  let started: RestApplication | undefined;

  afterEach(async () => {
    // the app whose start failed: close its datasource
    const app = started;
    started = undefined;
    if (!app) return;
    await app.stop().catch(() => undefined);
    await closeTestDataSource(
      await app.get<ChatDataSource>('datasources.chatDb'),
    );
  });

  function startApp(realtime: ChatServiceConfig['realtime']) {
    return givenTestApp({realtime}, {beforeStart: app => (started = app)});
  }

  it('refuses to start without realtime.redisUrl, naming it', async () => {
    await expect(startApp({eventBus: 'redis'})).to.be.rejectedWith(
      /realtime.eventBus 'redis' needs realtime.redisUrl/,
    );
  });

  it('refuses to start when Redis cannot be reached, naming its URL', async () => {
    const gone = await TestRedisServer.start();
    await gone.stop();
    await expect(
      startApp({eventBus: 'redis', redisUrl: gone.url}),
    ).to.be.rejectedWith(
      new RegExp(`'redis' cannot reach redis://127.0.0.1:${gone.port}/? \\(`),
    );
  });
});

describe('GET /health of the demo with the redis bus (acceptance)', () => {
  let redis: TestRedisServer;
  let app: DemoApplication;
  let client: Client;
  let logger: CapturedLogger;

  before(async () => {
    redis = await TestRedisServer.start();
  });
  after(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    await redis.start();
    logger = new CapturedLogger();
    app = await givenDemoApp({eventBus: 'redis', redisUrl: redis.url}, logger);
    client = createRestAppClient(app);
  });
  afterEach(async () => {
    await app.stop();
  });

  it('answers 200 naming the redis bus, 503 while Redis is down, 200 once it is back', async () => {
    const up = await client.get('/health').expect(200);
    expect(up.body).to.containDeep({
      status: 'ok',
      database: {status: 'up'},
      eventBus: {type: 'redis', status: 'up', attempts: 0},
    });
    await redis.stop('kill');
    await eventually(
      async () => (await client.get('/health')).status === 503,
      'unavailable',
    );
    const down = await client.get('/health').expect(503);
    expect(down.headers['retry-after']).to.equal('5');
    expect(down.body).to.containDeep({
      status: 'unavailable',
      database: {status: 'up'},
      eventBus: {type: 'redis', status: 'down'},
    });
    expect(down.body.eventBus.error).to.be.a.String();
    expect(logger.matching('warn', /redis event bus lost/)).to.have.length(1);
    await redis.start();
    await eventually(
      async () => (await client.get('/health')).status === 200,
      'healthy again',
    );
    expect(logger.matching('info', /redis event bus is back/)).to.have.length(
      1,
    );
  });
});
