import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  CapturedLogger,
  describeBackend,
  eventually,
  expectNothingWithin,
  givenChatSuite,
  givenGroup,
  givenUsers,
  expectOnceInOrder,
  messageBodies,
  sendAlternating,
  TestApp,
  TestRedisServer,
} from '../fixtures';
import {redisBusConfig} from '../fixtures/redis-bus';

describe(`realtime.eventBus redis (integration, ${describeBackend()})`, () => {
  let redis: TestRedisServer;
  before(async () => {
    redis = await TestRedisServer.start();
  });
  // news travel only through Redis: the periodic catch-up is out of the way
  const config = redisBusConfig(() => redis, {catchUpSeconds: 3600});
  const loggers = [new CapturedLogger(), new CapturedLogger()];
  const withLogger = (logger: CapturedLogger) => ({
    beforeStart: (app: TestApp['app']) =>
      app.bind(ChatServiceBindings.LOGGER).to(logger),
  });
  const one = givenChatSuite(config, withLogger(loggers[0]));
  const two = givenChatSuite(config, {
    truncate: false,
    ...withLogger(loggers[1]),
  });
  after(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    // a test that failed during an outage left Redis stopped
    await redis.start();
    for (const app of [one, two]) {
      await eventually(
        async () => (await busOf(app)).status?.().state === 'up',
        'the bus up',
      );
    }
    for (const logger of loggers) logger.lines.splice(0);
  });

  async function busOf(app: TestApp) {
    return app.app.get(ChatServiceBindings.EVENT_BUS);
  }

  async function healthOf(app: TestApp) {
    return (await app.app.get(ChatServiceBindings.HEALTH)).check();
  }

  it('delivers every event once, in order, to clients on both instances', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(one.client, alice, [bob, carol]);
    const onOne = await one.stream(bob);
    const onTwo = await two.stream(carol);
    await sendAlternating([one, two], alice, group.id, 10);
    const expected = Array.from({length: 10}, (_, i) => `m${i + 1}`);
    for (const client of [onOne, onTwo]) {
      await client.waitUntil(() => messageBodies(client).length >= 10);
      expect(messageBodies(client)).to.eql(expected);
      expectOnceInOrder(client);
    }
  });

  it('carries typing and presence across instances', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(one.client, alice, [bob]);
    const bobOnTwo = await two.stream(bob);
    const aliceOnOne = await one.stream(alice);
    const online = await bobOnTwo.waitFor(
      'presence',
      f => f.data.userId === alice.id,
    );
    expect(online.data).to.containDeep({userId: alice.id, online: true});
    await one.client
      .post(`/conversations/${group.id}/typing`)
      .set('Authorization', alice.auth)
      .send({typing: true})
      .expect(204);
    const frame = await bobOnTwo.waitFor('typing');
    expect(frame.data).to.containDeep({userId: alice.id, typing: true});
    aliceOnOne.close();
    await bobOnTwo.waitFor(
      'presence',
      f => f.data.userId === alice.id && f.data.online === false,
    );
    const ephemeral = bobOnTwo.frames.filter(f => f.id === undefined);
    expect(
      ephemeral.map(f => [f.event, f.data.online ?? f.data.typing]),
    ).to.eql([
      ['presence', true],
      ['typing', true],
      ['presence', false],
    ]);
  });

  it('reports down while Redis is gone and delivers what was committed meanwhile once it is back, once and in order', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(one.client, alice, [bob]);
    const onOne = await one.stream(bob);
    const onTwo = await two.stream(bob);
    await sendAlternating([one, two], alice, group.id, 2, 'before');
    await onTwo.waitUntil(() => messageBodies(onTwo).length >= 2);

    await redis.stop('kill');
    for (const app of [one, two]) {
      await eventually(
        async () => (await healthOf(app)).eventBus.status === 'down',
        'the bus reported down',
      );
      const report = await healthOf(app);
      expect(report).to.containDeep({
        status: 'unavailable',
        database: {status: 'up'},
        eventBus: {type: 'redis', status: 'down'},
      });
    }
    // committed through one only: its own stream has them at once
    await sendAlternating([one], alice, group.id, 3, 'during');
    await onOne.waitUntil(() => messageBodies(onOne).length >= 5);
    await expectNothingWithin(
      () => messageBodies(onTwo).length > 2,
      'news through a Redis that is down',
    );

    await redis.start();
    for (const app of [one, two]) {
      await eventually(
        async () => (await healthOf(app)).status === 'ok',
        'healthy again',
      );
    }
    // the catch-up on reconnecting brings them, before any new news
    await onTwo.waitUntil(() => messageBodies(onTwo).length >= 5);
    await sendAlternating([one, two], alice, group.id, 2, 'after');
    const expected = [
      'before1',
      'before2',
      'during1',
      'during2',
      'during3',
      'after1',
      'after2',
    ];
    for (const client of [onOne, onTwo]) {
      await client.waitUntil(() => messageBodies(client).length >= 7);
      expect(messageBodies(client)).to.eql(expected);
      expectOnceInOrder(client);
    }
    for (const logger of loggers) {
      expect(logger.matching('warn', /redis event bus lost/)).to.have.length(1);
      expect(
        logger.matching('info', /redis event bus is back after [\d.]+ s down/),
      ).to.have.length(1);
    }
  });
});
