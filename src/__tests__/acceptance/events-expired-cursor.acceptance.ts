import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  givenGroup,
  givenMessages,
  givenSyncedEvents,
  givenUsers,
  testDbQuery,
  TestUser,
  givenChatSuite,
  ageLoggedEvents,
} from '../fixtures';

describe('An expired cursor: 410 CURSOR_EXPIRED (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser;
  let bob: TestUser;
  let groupId: string;
  /** Bob's event ids before anything is pruned (member.added, 3 messages). */
  let ids: number[];
  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
    groupId = (await givenGroup(testApp.client, alice, [bob])).id;
    await givenMessages(testApp.client, alice, groupId, 3);
    ids = (await givenSyncedEvents(testApp.client, bob)).map(
      e => e.id as number,
    );
    expect(ids).to.have.length(4);
  });

  /** Makes events up to `throughId` older than the retention and prunes. */
  async function pruneThrough(throughId: number) {
    await ageLoggedEvents(throughId + 1);
    const pruner = await testApp.app.get(ChatServiceBindings.EVENT_PRUNER);
    await pruner.prune();
  }

  function sync(since?: number | string) {
    const req = testApp.client.get('/sync').set('Authorization', bob.auth);
    return since === undefined ? req : req.query({since});
  }

  function expectExpired(body: unknown, field: string, cursor: number) {
    expect(body).to.containDeep({
      error: {statusCode: 410, name: 'GoneError', code: 'CURSOR_EXPIRED'},
    });
    const {message} = (body as {error: {message: string}}).error;
    expect(message).to.startWith(`${field} ${cursor} is older than`);
  }

  it('answers 410 to /sync?since= below the oldest retained event', async () => {
    await pruneThrough(ids[1]);
    for (const since of [ids[0], ids[1] - 1, 0]) {
      const res = await sync(since).expect(410);
      expectExpired(res.body, 'since', since);
    }
  });

  it('answers the events after a cursor just before the oldest retained', async () => {
    await pruneThrough(ids[1]);
    const page = await sync(ids[1]).expect(200);
    expect(page.body.items.map((e: {id: number}) => e.id)).to.eql(ids.slice(2));
    const fromStart = await sync().expect(200);
    expect(fromStart.body).to.eql(page.body);
  });

  it('after everything was pruned, 410 below the last id, not at it', async () => {
    await pruneThrough(ids[3]);
    const [{position}] = await testDbQuery<{position: string}>(
      'SELECT position FROM chat_event_clock WHERE id = 1',
    );
    const last = Number(position);
    expectExpired((await sync(last - 1).expect(410)).body, 'since', last - 1);
    expect((await sync(last).expect(200)).body).to.eql({
      items: [],
      nextCursor: String(last),
    });
    // no since: the cursor to poll with misses nothing that follows
    const none = await sync().expect(200);
    expect(none.body).to.eql({items: [], nextCursor: String(last)});
    await givenMessages(testApp.client, alice, groupId, 1);
    const next = await sync(none.body.nextCursor).expect(200);
    expect(next.body.items).to.containDeep([{type: 'message.created'}]);
  });

  it('answers 410 to an expired Last-Event-ID before the stream opens', async () => {
    await pruneThrough(ids[1]);
    for (const headers of [
      {'Last-Event-ID': String(ids[0])},
      {'Last-Event-ID': '0'},
    ]) {
      const res = await testApp.client
        .get('/events')
        .set('Authorization', bob.auth)
        .set(headers)
        .expect(410)
        .expect('Content-Type', /application\/json/);
      expectExpired(
        res.body,
        'Last-Event-ID',
        Number(headers['Last-Event-ID']),
      );
    }
    const token = bob.auth.replace('Bearer ', '');
    const query = await testApp.client
      .get(`/events?access_token=${token}&lastEventId=${ids[0]}`)
      .expect(410);
    expectExpired(query.body, 'Last-Event-ID', ids[0]);

    const resumed = await testApp.stream(bob, {
      'Last-Event-ID': String(ids[1]),
    });
    expect(resumed.status).to.equal(200);
    await resumed.waitUntil(() => resumed.events.length === 2);
    expect(resumed.events.map(e => Number(e.id))).to.eql(ids.slice(2));
  });
});
