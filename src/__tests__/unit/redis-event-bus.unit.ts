import {expect} from '@loopback/testlab';
import Redis from 'ioredis';
import {resolveChatServiceConfig} from '../../config';
import {REDIS_BUS_CONNECTION_NAME, RedisEventBus} from '../../realtime';
import {
  CapturedLogger,
  eventually,
  expectNothingWithin,
  RecordingListener,
  TYPING_EVENT as TYPING,
  TestRedisServer,
} from '../fixtures';

describe('RedisEventBus (unit, against a redis-server)', () => {
  let redis: TestRedisServer;
  let logger: CapturedLogger;
  const buses: RedisEventBus[] = [];

  before(async () => {
    redis = await TestRedisServer.start();
  });
  after(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    logger = new CapturedLogger();
    await redis.start(); // again, when a test left it stopped
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map(b => b.close()));
  });

  /** A bus (not listening yet) on the test Redis, with `redisKeyPrefix`. */
  function givenBus(redisKeyPrefix?: string): RedisEventBus {
    const config = resolveChatServiceConfig({
      realtime: {eventBus: 'redis', redisUrl: redis.url, redisKeyPrefix},
    });
    const bus = new RedisEventBus(config, logger);
    buses.push(bus);
    return bus;
  }

  async function givenListening(count: number) {
    const listening = [];
    for (let i = 0; i < count; i++) {
      const bus = givenBus();
      const listener = new RecordingListener();
      await bus.listen(listener);
      listening.push({bus, listener});
    }
    return listening;
  }

  /** Runs `command` on a connection of its own. */
  async function onServer<T>(command: (admin: Redis) => Promise<T>) {
    const admin = new Redis(redis.url, {retryStrategy: () => null});
    try {
      return await command(admin);
    } finally {
      admin.disconnect();
    }
  }

  /** The bus's connections open on the server, by `CLIENT LIST`. */
  async function busConnections(): Promise<number> {
    const list = await onServer(admin => admin.client('LIST'));
    return (list as string)
      .split('\n')
      .filter(line => line.includes(`name=${REDIS_BUS_CONNECTION_NAME}-`))
      .length;
  }

  it('is up once listening, on two connections, and has its hub catch up once', async () => {
    const bus = givenBus();
    const listener = new RecordingListener();
    expect(bus.status().state).to.equal('down');
    await bus.listen(listener);
    expect(bus.status()).to.containDeep({state: 'up', attempts: 0});
    expect(listener.committed).to.eql([undefined]);
    await eventually(async () => (await busConnections()) === 2, '2 conns');
  });

  it('tells every instance the last id of a commit exactly once', async () => {
    const [one, two, three] = await givenListening(3);
    one.bus.committed(42);
    two.bus.committed(43);
    for (const {listener} of [one, two, three]) {
      await eventually(
        () =>
          listener.committed.includes(42) && listener.committed.includes(43),
        'news of 42 and 43',
      );
    }
    await expectNothingWithin(
      () =>
        [one, two, three].some(({listener}) => listener.committed.length > 3),
      'news told twice',
    );
    for (const {listener} of [one, two, three]) {
      expect([...listener.committed].sort()).to.eql([42, 43, undefined]);
    }
  });

  it('carries ephemeral events to every instance exactly once', async () => {
    const [one, two] = await givenListening(2);
    await one.bus.publishEphemeral(TYPING);
    for (const {listener} of [one, two]) {
      await eventually(() => listener.ephemerals.length === 1, 'typing');
    }
    await expectNothingWithin(
      () => one.listener.ephemerals.length > 1,
      'own typing delivered twice',
    );
    expect(one.listener.ephemerals).to.eql([TYPING]);
    expect(two.listener.ephemerals).to.eql([TYPING]);
  });

  it('keeps applications with other key prefixes apart', async () => {
    const [one] = await givenListening(1);
    const other = givenBus('other-app:');
    const onOther = new RecordingListener();
    await other.listen(onOther);
    one.bus.committed(7);
    await one.bus.publishEphemeral(TYPING);
    await expectNothingWithin(
      () => onOther.committed.length > 1 || onOther.ephemerals.length > 0,
      'news of another application',
    );
  });

  it('goes down when Redis dies, reconnects with backoff, and catches up once it is back', async () => {
    const [one, two] = await givenListening(2);
    await redis.stop('kill');
    for (const {bus} of [one, two]) {
      await eventually(() => bus.status().attempts >= 2, 'reconnect attempts');
      expect(bus.status().state).to.equal('down');
      expect(bus.status().error).to.be.a.String();
    }
    // news while down: this instance has them, the other does not
    one.bus.committed(9);
    await one.bus.publishEphemeral(TYPING);
    expect(one.listener.committed).to.eql([undefined, 9]);
    expect(one.listener.ephemerals).to.eql([TYPING]);
    await redis.start();
    for (const {bus, listener} of [one, two]) {
      await eventually(() => bus.status().state === 'up', 'the bus up again');
      expect(bus.status().attempts).to.equal(0);
      // the catch-up that brings the events committed meanwhile
      await eventually(() => listener.committed.length >= 2, 'a catch-up');
    }
    expect(two.listener.committed).to.eql([undefined, undefined]);
    expect(two.listener.ephemerals).to.eql([]);
    expect(logger.matching('warn', /redis event bus lost/)).to.have.length(2);
    expect(
      logger.matching('info', /redis event bus is back after [\d.]+ s down/),
    ).to.have.length(2);
    // and it carries news again, subscribed anew
    one.bus.committed(10);
    await eventually(() => two.listener.committed.includes(10), 'news again');
  });

  it('stops reconnecting once closed', async () => {
    const bus = givenBus();
    await bus.listen(new RecordingListener());
    await redis.stop('kill');
    await eventually(() => bus.status().attempts >= 1, 'a reconnect pending');
    await bus.close();
    await redis.start();
    const attempts = bus.status().attempts;
    await expectNothingWithin(
      () => bus.status().attempts !== attempts,
      'a closed bus tried again',
    );
    expect(await busConnections()).to.equal(0);
  });

  it('fails to listen when Redis is unreachable, with the URL and the reason, and does not retry', async () => {
    await redis.stop('kill');
    const bus = givenBus();
    await expect(bus.listen(new RecordingListener())).to.be.rejectedWith(
      new RegExp(
        `realtime.eventBus 'redis' cannot reach redis://127.0.0.1:${redis.port}.*ECONNREFUSED`,
      ),
    );
    expect(bus.status()).to.containDeep({state: 'down', attempts: 0});
    await redis.start();
    await expectNothingWithin(
      () => bus.status().attempts > 0,
      'a bus whose first connect failed retried',
    );
    expect(await busConnections()).to.equal(0);
  });

  it('close() during the first connect leaves no connection and tells nothing', async () => {
    const bus = givenBus();
    const listener = new RecordingListener();
    const listening = bus.listen(listener);
    await bus.close();
    await listening;
    await eventually(async () => (await busConnections()) === 0, 'no conn');
    expect(listener.committed).to.eql([]);
    expect(bus.status().state).to.equal('down');
  });

  it('close() is bounded when Redis stops answering', async () => {
    const [{bus}] = await givenListening(1);
    const info = await onServer(admin => admin.info('server'));
    const pid = Number(/process_id:(\d+)/.exec(info)![1]);
    process.kill(pid, 'SIGSTOP');
    // it answers again after a while, so an unbounded close() ends too
    const resume = setTimeout(() => process.kill(pid, 'SIGCONT'), 5000);
    try {
      const started = Date.now();
      await bus.close();
      expect(Date.now() - started).to.be.below(3000);
    } finally {
      clearTimeout(resume);
      process.kill(pid, 'SIGCONT');
    }
  });
});
