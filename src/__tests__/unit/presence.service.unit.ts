import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {PresenceService} from '../../realtime';
import {PRESENCE_STALE_MS} from '../../realtime/presence-store';
import {ChatUser} from '../../types';
import {
  CapturedLogger,
  countLockWaits,
  eventually,
  expectNothingWithin,
  givenLockHolder,
  givenTestChatDb,
  LockHolder,
  RecordingBus,
  TcpProxy,
  testDatabaseUrl,
  storedConnections,
  testDbQuery,
  TestChatDb,
  truncateChatTables,
  waitForLockWaits,
} from '../fixtures';

describe('PresenceService (unit)', () => {
  let chatDb: TestChatDb;
  let bus: RecordingBus;
  let logger: CapturedLogger;
  const services: PresenceService[] = [];
  let holder: LockHolder | undefined;
  let proxy: TcpProxy | undefined;
  let through: TestChatDb | undefined;

  before(async () => {
    chatDb = await givenTestChatDb();
  });
  after(async () => {
    await chatDb.close();
  });
  beforeEach(async () => {
    await truncateChatTables();
    bus = new RecordingBus();
    logger = new CapturedLogger();
  });
  afterEach(async () => {
    await holder?.rollback().catch(() => undefined);
    await holder?.end();
    holder = undefined;
    await Promise.all(services.splice(0).map(s => s.stop()));
    await through?.close();
    through = undefined;
    await proxy?.close();
    proxy = undefined;
  });

  /** A started service (one application instance) on `db`. */
  function givenInstance(db = chatDb.db): PresenceService {
    const service = new PresenceService(db, bus, logger);
    service.start();
    services.push(service);
    return service;
  }

  function givenChatUser(tenantId = ''): ChatUser {
    return {tenantId, id: `user-${randomUUID()}`};
  }

  /** The presence events published for `user`: online true or false. */
  function announced(user: ChatUser): boolean[] {
    return bus.published
      .filter(e => e.userId === user.id && e.tenantId === user.tenantId)
      .map(e => e.online!);
  }

  it('counts streams and announces the first opening and the last closing', async () => {
    const one = givenInstance();
    const ann = givenChatUser();
    await one.connected(ann);
    await one.connected(ann);
    expect(await storedConnections(ann)).to.eql({[one.instanceId]: 2});
    expect(announced(ann)).to.eql([true]);
    expect((await one.of('', [ann.id])).get(ann.id)).to.eql({
      online: true,
      lastSeenAt: null,
    });

    await one.disconnected(ann);
    expect(announced(ann)).to.eql([true]);
    const before = Date.now();
    await one.disconnected(ann);
    expect(await storedConnections(ann)).to.eql({});
    expect(announced(ann)).to.eql([true, false]);
    const offline = bus.published[bus.published.length - 1];
    expect(offline).to.containDeep({type: 'presence', conversationId: null});
    const presence = (await one.of('', [ann.id])).get(ann.id)!;
    expect(presence.online).to.be.false();
    expect(presence.lastSeenAt!.getTime()).to.be.greaterThanOrEqual(
      before - 1000,
    );
  });

  it('announces a user once over several instances', async () => {
    const [one, two] = [givenInstance(), givenInstance()];
    const ann = givenChatUser();
    await one.connected(ann);
    await two.connected(ann);
    await one.disconnected(ann);
    expect(await storedConnections(ann)).to.eql({[two.instanceId]: 1});
    expect(announced(ann)).to.eql([true]);
    await two.disconnected(ann);
    expect(announced(ann)).to.eql([true, false]);
  });

  it('keeps users of different tenants apart', async () => {
    const one = givenInstance();
    const inA = givenChatUser('a');
    const inB = {tenantId: 'b', id: inA.id};
    await one.connected(inA);
    await one.connected(inB);
    await one.disconnected(inA);
    expect(await storedConnections(inA)).to.eql({});
    expect(await storedConnections(inB)).to.eql({[one.instanceId]: 1});
    expect((await one.of('b', [inA.id])).get(inA.id)?.online).to.be.true();
    expect((await one.of('a', [inA.id])).get(inA.id)?.online).to.be.false();
  });

  it('writes one change of a user at a time, and stores the last count', async () => {
    const one = givenInstance();
    const ann = givenChatUser();
    // the user's lock row exists once it has been online
    await one.connected(ann);
    await one.disconnected(ann);
    holder = await givenLockHolder();
    await holder.begin();
    await holder.query(
      `SELECT user_id FROM chat_last_seen
       WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE`,
      [ann.tenantId, ann.id],
    );
    const changes = [one.connected(ann)];
    await waitForLockWaits(1); // the first write waits for the user's lock
    // meanwhile: three more streams open and one closes
    changes.push(one.connected(ann), one.connected(ann), one.connected(ann));
    changes.push(one.disconnected(ann));
    let concurrent = false;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) if ((await countLockWaits()) > 1) concurrent = true;
    })();
    await expectNothingWithin(
      () => concurrent,
      'a second write of the user ran beside the first',
    );
    sampling = false;
    await sampler;
    await holder.commit();
    await Promise.all(changes);
    await eventually(
      async () => (await storedConnections(ann))[one.instanceId] === 3,
      'the last count (3) stored',
    );
    expect(announced(ann)).to.eql([true, false, true]);
  });

  it('refresh() rewrites its rows that differ from its counts', async () => {
    const one = givenInstance();
    const [ann, bob] = [givenChatUser(), givenChatUser()];
    await one.connected(ann);
    await one.connected(bob);
    await testDbQuery(
      'UPDATE chat_presence SET connections = 7 WHERE user_id = $1',
      [ann.id],
    );
    await testDbQuery('DELETE FROM chat_presence WHERE user_id = $1', [bob.id]);
    await one.refresh();
    await eventually(
      async () =>
        (await storedConnections(ann))[one.instanceId] === 1 &&
        (await storedConnections(bob))[one.instanceId] === 1,
      'both counts rewritten',
    );
  });

  it('leaves a write the database refused to the next refresh', async () => {
    proxy = await TcpProxy.for(testDatabaseUrl());
    through = await givenTestChatDb(proxy.urlThrough(testDatabaseUrl()));
    const one = givenInstance(through.db);
    const ann = givenChatUser();
    proxy.cut();
    await one.connected(ann); // answers: the write failed, nothing waits
    proxy.restore();
    expect(await storedConnections(ann)).to.eql({});
    await eventually(async () => {
      await one.refresh().catch(() => undefined);
      return (await storedConnections(ann))[one.instanceId] === 1;
    }, 'the count written by a refresh');
    await eventually(() => announced(ann).length === 1, 'announced online');
    expect(announced(ann)).to.eql([true]);
  });

  it('sweeps the rows of an instance that stopped refreshing, announcing its users', async () => {
    const one = givenInstance();
    const [ann, bob] = [givenChatUser(), givenChatUser()];
    const dead = randomUUID();
    const lastAlive = new Date(Date.now() - 2 * PRESENCE_STALE_MS);
    for (const user of [ann, bob]) {
      await testDbQuery(
        `INSERT INTO chat_last_seen (tenant_id, user_id, last_seen_at)
         VALUES ('', $1, $2)`,
        [user.id, lastAlive],
      );
      await testDbQuery(
        `INSERT INTO chat_presence
           (tenant_id, user_id, instance_id, connections, updated_at)
         VALUES ('', $1, $2, 2, $3)`,
        [user.id, dead, lastAlive],
      );
    }
    // bob is connected to a live instance too (the stale rows do not count)
    await one.connected(bob);
    expect(announced(bob)).to.eql([true]);
    await one.refresh();
    expect(await storedConnections(ann)).to.eql({});
    expect(await storedConnections(bob)).to.eql({[one.instanceId]: 1});
    expect(announced(ann)).to.eql([false]);
    expect(announced(bob)).to.eql([true]); // still online: no news
    const offline = bus.published.find(e => e.userId === ann.id)!;
    expect(offline.lastSeenAt).to.equal(lastAlive.toISOString());
    expect(
      logger.matching('info', /presence: removed 2 rows of 1 instance\(s\)/),
    ).to.have.length(1);
  });

  it('on stop() removes its rows, its users go offline, and writes no more', async () => {
    const one = givenInstance();
    const two = givenInstance();
    const [ann, bob] = [givenChatUser(), givenChatUser()];
    await one.connected(ann);
    await one.connected(bob);
    await two.connected(bob);
    await one.stop();
    expect(await storedConnections(ann)).to.eql({});
    expect(await storedConnections(bob)).to.eql({[two.instanceId]: 1});
    expect(announced(ann)).to.eql([true, false]);
    expect(announced(bob)).to.eql([true]);
    await one.connected(ann);
    expect(await storedConnections(ann)).to.eql({});
  });
});
