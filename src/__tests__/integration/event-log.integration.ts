import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  describeBackend,
  givenGroup,
  givenMessages,
  givenSyncedEvents,
  givenSyncPage,
  givenUsers,
  TestUser,
  testDbQuery,
  givenChatSuite,
  givenMessage,
  eventually,
  waitForLockWaits,
  ageLoggedEvents,
} from '../fixtures';

// The event log's ids under real concurrency: gapless, and in commit order,
// so a client polling /sync with its cursor never skips an event.
describe(`event log ids (${describeBackend()})`, () => {
  const testApp = givenChatSuite();

  it('stays gapless and skips nothing for a poller under concurrent sends', async () => {
    const [watcher, ...senders] = await givenUsers(31);
    const groups = await Promise.all(
      senders.map(s => givenGroup(testApp.client, s, [watcher])),
    );
    const start = (await givenSyncPage(testApp.client, watcher)).nextCursor;
    const polled: number[] = [];
    let cursor = start;
    let polls = 0;
    async function poll(): Promise<number> {
      const page = await givenSyncPage(testApp.client, watcher, {
        since: cursor,
      });
      polls++;
      const ids = page.items.map(e => e.id as number);
      // every page continues strictly after its cursor
      for (const [i, id] of ids.entries()) {
        expect(id).to.be.greaterThan(i === 0 ? Number(cursor) : ids[i - 1]);
      }
      polled.push(...ids);
      cursor = page.nextCursor;
      return ids.length;
    }
    for (let round = 1; round <= 3; round++) {
      let done = false;
      const sends = Promise.all(
        groups.map((g, i) =>
          givenMessage(
            testApp.client,
            senders[i],
            g.id,
            `round ${round} from ${i}`,
          ),
        ),
      ).finally(() => (done = true));
      while (!done) await poll();
      await sends;
    }
    while ((await poll()) > 0);
    expect(polls).to.be.greaterThan(3);

    const all = await givenSyncedEvents(testApp.client, watcher, start);
    expect(all).to.have.length(90);
    expect(polled).to.eql(all.map(e => e.id));

    const rows = await testDbQuery<{id: string}>(
      'SELECT id FROM chat_events ORDER BY id',
    );
    const ids = rows.map(r => Number(r.id));
    expect(ids).to.have.length(30 + 90);
    const first = ids[0];
    expect(ids).to.eql(ids.map((_, i) => first + i));
  });
});

// Events are queued by their writers and numbered by the sequencer once
// committed: the order of the ids is the order of the commits.
describe(`event sequencer (${describeBackend()})`, () => {
  const testApp = givenChatSuite();

  function queueRow(conversationId: string, body: string) {
    return [
      '',
      conversationId,
      'message.created',
      null,
      JSON.stringify({message: {body}}),
      new Date(),
    ];
  }
  const QUEUE_INSERT = `INSERT INTO chat_event_queue
      (tenant_id, conversation_id, type, actor_id, payload, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)`;

  it('numbers a writer that queued first but committed last after the others', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const db = await testApp.app.get(ChatServiceBindings.DATABASE);
    const sequencer = await testApp.app.get(
      ChatServiceBindings.EVENT_SEQUENCER,
    );
    let sent: {seq: number} | undefined;
    await db.transaction(async tx => {
      await tx.query(QUEUE_INSERT, queueRow(group.id, 'slow writer'));
      // a second writer queues after this one and commits first
      sent = await givenMessage(testApp.client, alice, group.id, 'fast writer');
    });
    await sequencer.sequence();

    const events = await givenSyncedEvents(testApp.client, bob);
    const bodies = events
      .filter(e => e.type === 'message.created')
      .map(e => (e.message as {body: string}).body);
    expect(sent?.seq).to.equal(1);
    expect(bodies).to.eql(['fast writer', 'slow writer']);
    const ids = events.map(e => e.id as number);
    expect(ids).to.eql([...ids].sort((a, b) => a - b));
    const queued = await testDbQuery('SELECT queue_id FROM chat_event_queue');
    expect(queued).to.eql([]);
  });

  it('queues edits, read moves and role changes after a membership change in flight', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    const [message] = await givenMessages(testApp.client, alice, group.id, 1);
    const db = await testApp.app.get(ChatServiceBindings.DATABASE);
    const path = `/conversations/${group.id}`;
    let settled = 0;
    const count = (res: {status: number}) => {
      settled++;
      return res.status;
    };
    let writes: Promise<number[]> | undefined;
    await db.transaction(async tx => {
      // what a member change holds until it commits
      await tx.query(
        'SELECT id FROM chat_conversations WHERE id = $1 FOR UPDATE',
        [group.id],
      );
      writes = Promise.all([
        testApp.client
          .patch(`${path}/messages/${message.id}`)
          .set('Authorization', alice.auth)
          .send({body: 'edited'})
          .then(count),
        testApp.client
          .post(`${path}/read`)
          .set('Authorization', bob.auth)
          .send({seq: 1})
          .then(count),
        testApp.client
          .patch(`${path}/members/${carol.id}`)
          .set('Authorization', alice.auth)
          .send({role: 'admin'})
          .then(count),
      ]);
      // all three are held by the lock, not merely slow
      await waitForLockWaits(3);
      expect(settled).to.equal(0);
    });
    expect(await writes).to.eql([200, 200, 200]);
  });

  it('numbers events a writer left queued (it stopped before sequencing)', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const before = await givenSyncedEvents(testApp.client, bob);
    await testDbQuery(QUEUE_INSERT, queueRow(group.id, 'left behind'));

    let events = before;
    await eventually(async () => {
      events = await givenSyncedEvents(testApp.client, bob);
      return events.length > before.length;
    }, 'the queued event numbered');
    // numbered and dequeued in one transaction: nothing left to number twice
    expect(await testDbQuery('SELECT queue_id FROM chat_event_queue')).to.eql(
      [],
    );
    expect(events).to.have.length(before.length + 1);
    expect(events[events.length - 1]).to.containDeep({
      type: 'message.created',
      message: {body: 'left behind'},
    });
  });
});

describe(`event log pruning (${describeBackend()})`, () => {
  const testApp = givenChatSuite();

  function remove(owner: TestUser, conversationId: string, user: TestUser) {
    return testApp.client
      .delete(`/conversations/${conversationId}/members/${user.id}`)
      .set('Authorization', owner.auth)
      .expect(204);
  }

  it('deletes old events; /sync then starts at the oldest retained', async () => {
    const [alice, bob, carol, dave] = await givenUsers(4);
    const group = await givenGroup(testApp.client, alice, [bob, carol, dave]);
    await givenMessages(testApp.client, alice, group.id, 2);
    await remove(alice, group.id, carol);
    await ageLoggedEvents();
    await remove(alice, group.id, dave);
    await givenMessage(testApp.client, alice, group.id, 'fresh');
    const pruner = await testApp.app.get(ChatServiceBindings.EVENT_PRUNER);
    expect(await pruner.prune()).to.equal(4);

    const [oldest] = await testDbQuery<{id: string}>(
      'SELECT MIN(id) AS id FROM chat_events',
    );
    const events = await givenSyncedEvents(testApp.client, bob);
    expect(events.map(e => e.type)).to.eql([
      'member.removed',
      'message.created',
    ]);
    expect(events[0]).to.containDeep({userId: dave.id});
    expect(events[0].id).to.equal(Number(oldest.id));
    expect(await givenSyncedEvents(testApp.client, carol)).to.eql([]);
    expect(await pruner.prune()).to.equal(0);
  });

  it('deletes the periods of members removed before the oldest retained event', async () => {
    const [alice, bob, carol, dave] = await givenUsers(4);
    const group = await givenGroup(testApp.client, alice, [bob, carol, dave]);
    await remove(alice, group.id, carol);
    await ageLoggedEvents();
    await remove(alice, group.id, dave);
    const pruner = await testApp.app.get(ChatServiceBindings.EVENT_PRUNER);
    expect(await pruner.prune()).to.equal(2);

    const periods = await testDbQuery<{userId: string; ended: boolean}>(
      `SELECT user_id AS "userId", to_event_id IS NOT NULL AS ended
       FROM chat_member_periods WHERE conversation_id = $1`,
      [group.id],
    );
    const byUser = Object.fromEntries(
      periods.map(p => [p.userId, Boolean(p.ended)]),
    );
    expect(byUser).to.eql({
      [alice.id]: false,
      [bob.id]: false,
      [dave.id]: true,
    });
  });
});
