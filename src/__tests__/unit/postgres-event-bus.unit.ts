import {expect} from '@loopback/testlab';
import {BUS_APPLICATION_NAME, PostgresEventBus} from '../../realtime';
import {resolveChatServiceConfig} from '../../config';
import {
  describeOn,
  CapturedLogger,
  eventually,
  expectNothingWithin,
  givenTestChatDb,
  RecordingListener,
  TYPING_EVENT as TYPING,
  TcpProxy,
  testDatabaseUrl,
  testDbQuery,
  TestChatDb,
} from '../fixtures';

describe('PostgresEventBus (unit)', () => {
  let chatDb: TestChatDb;
  let logger: CapturedLogger;
  const buses: PostgresEventBus[] = [];
  let proxy: TcpProxy | undefined;

  before(async () => {
    chatDb = await givenTestChatDb();
  });
  after(async () => {
    await chatDb.close();
  });
  beforeEach(() => {
    logger = new CapturedLogger();
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map(b => b.close()));
    await proxy?.close();
    proxy = undefined;
  });

  /** A bus (not listening yet) on `postgresUrl`, or on the datasource. */
  function givenBus(postgresUrl?: string): PostgresEventBus {
    const config = resolveChatServiceConfig({
      realtime: {eventBus: 'postgres', postgresUrl},
    });
    const bus = new PostgresEventBus(
      config,
      chatDb.db,
      chatDb.dataSource as never,
      logger,
    );
    buses.push(bus);
    return bus;
  }

  /** A bus listening through a `TcpProxy` in front of the test database. */
  async function givenBusThroughProxy() {
    proxy = await TcpProxy.for(testDatabaseUrl());
    const bus = givenBus(proxy.urlThrough(testDatabaseUrl()));
    const listener = new RecordingListener();
    await bus.listen(listener);
    return {bus, listener, proxy};
  }

  describeOn('mysql', 'on a database that is not PostgreSQL', () => {
    it('refuses to listen', async () => {
      await expect(
        givenBus(testDatabaseUrl()).listen(new RecordingListener()),
      ).to.be.rejectedWith(/needs the component's database to be PostgreSQL/);
    });
  });

  describeOn('postgres', 'LISTEN/NOTIFY, reconnects and close', () => {
    it('is up once listening, and has its hub catch up once', async () => {
      const bus = givenBus(testDatabaseUrl());
      const listener = new RecordingListener();
      expect(bus.status().state).to.equal('down');
      await bus.listen(listener);
      expect(bus.status()).to.containDeep({state: 'up', attempts: 0});
      expect(listener.committed).to.eql([undefined]);
    });

    it('connects with the datasource settings when no postgresUrl is set', async () => {
      const bus = givenBus();
      const listener = new RecordingListener();
      await bus.listen(listener);
      await bus.publishEphemeral(TYPING);
      await eventually(() => listener.ephemerals.length === 1, 'own typing');
      const [row] = await testDbQuery<{n: string}>(
        'SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1',
        [BUS_APPLICATION_NAME],
      );
      expect(Number(row.n)).to.be.greaterThanOrEqual(1);
    });

    it('tells every listening instance the last id of a committed transaction, never of a rolled back one', async () => {
      const [one, two] = [givenBus(testDatabaseUrl()), givenBus()];
      const [onOne, onTwo] = [new RecordingListener(), new RecordingListener()];
      await one.listen(onOne);
      await two.listen(onTwo);
      await chatDb.db
        .transaction(async tx => {
          await one.inTransaction(tx, 41);
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await chatDb.db.transaction(tx => one.inTransaction(tx, 42));
      for (const listener of [onOne, onTwo]) {
        await eventually(() => listener.committed.includes(42), 'news of 42');
      }
      await expectNothingWithin(
        () => onOne.committed.includes(41) || onTwo.committed.includes(41),
        'news of a rolled-back transaction',
      );
      expect(onTwo.committed).to.eql([undefined, 42]);
    });

    it('carries ephemeral events to every listening instance', async () => {
      const [one, two] = [givenBus(testDatabaseUrl()), givenBus()];
      const [onOne, onTwo] = [new RecordingListener(), new RecordingListener()];
      await one.listen(onOne);
      await two.listen(onTwo);
      await one.publishEphemeral(TYPING);
      for (const listener of [onOne, onTwo]) {
        await eventually(() => listener.ephemerals.length === 1, 'typing');
        expect(listener.ephemerals).to.eql([TYPING]);
      }
    });

    it('reconnects with backoff when its connection is cut, logging the loss and the return once', async () => {
      const {bus, listener, proxy: cutter} = await givenBusThroughProxy();
      cutter.cut();
      await eventually(
        () => bus.status().attempts >= 3,
        'three reconnect attempts',
      );
      const down = bus.status();
      expect(down.state).to.equal('down');
      expect(down.error).to.be.a.String();
      // dropped while down, without an error
      await bus.publishEphemeral(TYPING);
      cutter.restore();
      await eventually(() => bus.status().state === 'up', 'the bus up again');
      expect(bus.status().attempts).to.equal(0);
      expect(logger.matching('warn', /lost its connection/)).to.have.length(1);
      expect(
        logger.matching('info', /is back after [\d.]+ s down \(\d+ reconnect/),
      ).to.have.length(1);
      // it had the hub catch up on what it missed
      expect(listener.committed).to.eql([undefined, undefined]);
      await bus.publishEphemeral(TYPING);
      await eventually(() => listener.ephemerals.length === 1, 'typing again');
    });

    it('reconnects when the server ends its connection', async () => {
      const bus = givenBus(testDatabaseUrl());
      const listener = new RecordingListener();
      await bus.listen(listener);
      await testDbQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = $1`,
        [BUS_APPLICATION_NAME],
      );
      await eventually(
        () => listener.committed.length === 2,
        'caught up after reconnecting',
      );
      expect(bus.status().state).to.equal('up');
      await chatDb.db.transaction(tx => bus.inTransaction(tx, 7));
      await eventually(() => listener.committed.includes(7), 'news again');
    });

    it('stops reconnecting once closed', async () => {
      const {bus, proxy: cutter} = await givenBusThroughProxy();
      cutter.cut();
      await eventually(() => bus.status().attempts >= 1, 'a reconnect pending');
      await bus.close();
      cutter.restore();
      const attempts = bus.status().attempts;
      await expectNothingWithin(
        () => cutter.connections > 0 || bus.status().attempts !== attempts,
        'a closed bus reconnected',
      );
    });

    it('close() during the first connect leaves no connection and tells nothing', async () => {
      proxy = await TcpProxy.for(testDatabaseUrl());
      const bus = givenBus(proxy.urlThrough(testDatabaseUrl()));
      const listener = new RecordingListener();
      const listening = bus.listen(listener);
      await bus.close();
      await listening;
      await eventually(() => proxy!.connections === 0, 'no connection left');
      expect(listener.committed).to.eql([]);
      expect(bus.status().state).to.equal('down');
    });

    it('fails to listen when the database is unreachable, and does not retry by itself', async () => {
      proxy = await TcpProxy.for(testDatabaseUrl());
      proxy.cut();
      const bus = givenBus(proxy.urlThrough(testDatabaseUrl()));
      await expect(bus.listen(new RecordingListener())).to.be.rejected();
      expect(bus.status()).to.containDeep({state: 'down', attempts: 0});
      proxy.restore();
      await expectNothingWithin(
        () => proxy!.connections > 0,
        'a bus whose first LISTEN failed retried',
      );
    });
  });
});
