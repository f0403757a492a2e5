import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {EventSequencer} from '../../realtime';
import {
  ChatEventType,
  eventQueries,
  eventQueueQueries,
} from '../../repositories';
import {
  eventually,
  expectNothingWithin,
  givenLockHolder,
  givenTestChatDb,
  LockHolder,
  RecordingBus,
  TcpProxy,
  testDatabaseUrl,
  testDbQuery,
  TestChatDb,
  truncateChatTables,
  waitForLockWaits,
} from '../fixtures';

/** Queued events one sequencing transaction moves at most (its BATCH). */
const SEQUENCER_BATCH = 1000;

describe('EventSequencer (unit)', () => {
  let chatDb: TestChatDb;
  let bus: RecordingBus;
  let sequencer: EventSequencer;
  let holder: LockHolder | undefined;
  let proxy: TcpProxy | undefined;
  const conversationId = randomUUID();

  before(async () => {
    chatDb = await givenTestChatDb();
  });
  after(async () => {
    await chatDb.close();
  });
  beforeEach(async () => {
    await truncateChatTables();
    bus = new RecordingBus();
    sequencer = new EventSequencer(chatDb.db, bus);
  });
  afterEach(async () => {
    await holder?.rollback().catch(() => undefined);
    await holder?.end();
    holder = undefined;
    await sequencer.stop();
    await proxy?.close();
    proxy = undefined;
  });

  /** Queues events in one committed transaction, as a writer does. */
  async function enqueue(
    labels: string[],
    type: ChatEventType = 'read.updated',
    payload: (label: string) => object = label => ({label}),
    db = chatDb.db,
  ) {
    await db.transaction(tx =>
      eventQueueQueries.enqueueEvents(
        tx,
        labels.map(label => ({
          tenantId: '',
          conversationId,
          type,
          actorId: 'ann',
          payload: payload(label),
          createdAt: new Date(),
        })),
      ),
    );
  }

  /** The logged events after `afterId`: id and label, in log order. */
  async function logged(afterId: number) {
    const rows = await eventQueries.listAfter(chatDb.db, afterId, 10000);
    return rows.map(r => {
      const payload =
        typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload;
      return [Number(r.id), (payload as {label?: string}).label];
    });
  }

  async function queued(): Promise<number> {
    const [row] = await testDbQuery<{n: string | number}>(
      'SELECT COUNT(*) AS n FROM chat_event_queue',
    );
    return Number(row.n);
  }

  const clock = () => eventQueries.lastEventId(chatDb.db);

  /** A transaction of its own holding the event clock. */
  async function holdClock(): Promise<LockHolder> {
    holder = await givenLockHolder();
    await holder.begin();
    await holder.query(
      'SELECT position FROM chat_event_clock WHERE id = 1 FOR UPDATE',
    );
    return holder;
  }

  it('answers 0 and tells the bus nothing when nothing is queued', async () => {
    expect(await sequencer.sequence()).to.equal(0);
    expect(bus.inTransactionIds).to.eql([]);
    expect(bus.committedIds).to.eql([]);
  });

  it('gives queued events the next ids in queue order and tells the bus', async () => {
    const start = await clock();
    await enqueue(['a', 'b', 'c']);
    await enqueue(['d', 'e']);
    expect(await sequencer.sequence()).to.equal(start + 5);
    expect(await logged(start)).to.eql(
      ['a', 'b', 'c', 'd', 'e'].map((label, i) => [start + 1 + i, label]),
    );
    expect(await clock()).to.equal(start + 5);
    expect(await queued()).to.equal(0);
    expect(bus.inTransactionIds).to.eql([start + 5]);
    expect(bus.committedIds).to.eql([start + 5]);
  });

  it('keeps the membership periods of member events', async () => {
    const start = await clock();
    await enqueue(['x'], 'member.added', () => ({
      members: [{userId: 'ann'}, {userId: 'bob'}],
    }));
    await enqueue(['y'], 'member.removed', () => ({userId: 'bob'}));
    await sequencer.sequence();
    const rows = await eventQueries.listPeriods(chatDb.db, [conversationId]);
    const periods = rows
      .map(r => [
        r.user_id,
        Number(r.from_event_id),
        r.to_event_id === null ? null : Number(r.to_event_id),
      ])
      .sort();
    expect(periods).to.eql([
      ['ann', start + 1, null],
      ['bob', start + 1, start + 2],
    ]);
  });

  it('moves an event only once its writer committed: ids follow commit order', async () => {
    const start = await clock();
    holder = await givenLockHolder();
    await holder.begin();
    // queued first, committed last
    await holder.query(
      `INSERT INTO chat_event_queue
         (tenant_id, conversation_id, type, actor_id, payload, created_at)
       VALUES ('', $1, 'read.updated', 'ann', $2, $3)`,
      [conversationId, JSON.stringify({label: 'late'}), new Date()],
    );
    await enqueue(['early']);
    expect(await sequencer.sequence()).to.equal(start + 1);
    await holder.commit();
    expect(await sequencer.sequence()).to.equal(start + 2);
    expect(await logged(start)).to.eql([
      [start + 1, 'early'],
      [start + 2, 'late'],
    ]);
  });

  it('shares a run among the calls made before it starts; a call during a run waits for the next', async () => {
    const start = await clock();
    await holdClock();
    await enqueue(['a']);
    const first = sequencer.sequence();
    expect(sequencer.sequence()).to.equal(first);
    await waitForLockWaits(1); // the run waits for the clock
    await enqueue(['b']);
    const second = sequencer.sequence();
    expect(second).to.not.equal(first);
    const settled: string[] = [];
    const settling = Promise.all([
      first.then(() => settled.push('first')),
      second.then(() => settled.push('second')),
    ]);
    await holder!.commit();
    // the run took the clock after b was committed: b rides along
    expect(await first).to.equal(start + 2);
    expect(await second).to.equal(0);
    await settling;
    expect(settled).to.eql(['first', 'second']);
    expect(await logged(start)).to.eql([
      [start + 1, 'a'],
      [start + 2, 'b'],
    ]);
  });

  it('moves more than a batch in several transactions, telling the bus of each', async () => {
    const start = await clock();
    const labels = Array.from({length: 2 * SEQUENCER_BATCH + 1}, (_, i) =>
      String(i),
    );
    for (let i = 0; i < labels.length; i += 500) {
      await enqueue(labels.slice(i, i + 500));
    }
    const last = start + labels.length;
    expect(await sequencer.sequence()).to.equal(last);
    const batches = [start + 1000, start + 2000, last];
    expect(bus.inTransactionIds).to.eql(batches);
    expect(bus.committedIds).to.eql(batches);
    const log = await logged(start);
    expect(log.map(([, label]) => label)).to.eql(labels);
  });

  it('ends a run at what was queued when it started, though writers keep queueing', async () => {
    const start = await clock();
    const batch = Array.from({length: SEQUENCER_BATCH}, (_, i) => `a${i}`);
    await enqueue(batch);
    let rounds = 0;
    bus.during = async () => {
      // another writer commits a full batch more while each run moves one
      if (++rounds <= 3) await enqueue(batch.map(l => `more${rounds}-${l}`));
    };
    expect(await sequencer.sequence()).to.equal(start + SEQUENCER_BATCH);
    expect(bus.committedIds).to.eql([start + SEQUENCER_BATCH]);
    bus.during = undefined;
    expect(await queued()).to.equal(SEQUENCER_BATCH);
  });

  it('never rejects: a run the database fails leaves the events queued', async () => {
    proxy = await TcpProxy.for(testDatabaseUrl());
    const through = await givenTestChatDb(proxy.urlThrough(testDatabaseUrl()));
    try {
      const cutOff = new EventSequencer(through.db, bus);
      const start = await clock();
      await enqueue(['kept']);
      proxy.cut();
      expect(await cutOff.sequence()).to.equal(0);
      expect(await queued()).to.equal(1);
      expect(bus.committedIds).to.eql([]);
      proxy.restore();
      await eventually(
        async () => (await cutOff.sequence()) === start + 1,
        'a run once the database is back',
      );
      expect(await logged(start)).to.eql([[start + 1, 'kept']]);
    } finally {
      await through.close();
    }
  });

  it('stop() waits for the run in progress', async () => {
    const start = await clock();
    await holdClock();
    await enqueue(['a']);
    const run = sequencer.sequence();
    await waitForLockWaits(1);
    const settled: string[] = [];
    const running = run.then(() => settled.push('run'));
    const stopping = sequencer.stop().then(() => settled.push('stop'));
    await expectNothingWithin(
      () => settled.length > 0,
      'stop() answered while a run waited for the clock',
    );
    await holder!.commit();
    await Promise.all([running, stopping]);
    expect(settled).to.eql(['run', 'stop']);
    expect(await run).to.equal(start + 1);
  });

  it('once started, moves events a writer queued but never sequenced (it crashed)', async () => {
    const start = await clock();
    await enqueue(['orphan']);
    sequencer.start();
    await eventually(
      async () => (await clock()) === start + 1,
      'the sweep moved the orphan',
    );
    expect(await logged(start)).to.eql([[start + 1, 'orphan']]);
    expect(bus.committedIds).to.eql([start + 1]);
  });
});
