import {expect} from '@loopback/testlab';
import {BUS_APPLICATION_NAME} from '../../realtime';
import {
  givenGroup,
  givenTestApp,
  givenUsers,
  expectOnceInOrder,
  messageBodies,
  sendAlternating,
  TestApp,
  testDbQuery,
  TestUser,
  TestStreams,
  describeOn,
  givenChatSuite,
} from '../fixtures';

const BUS = {realtime: {eventBus: 'postgres' as const}};

describeOn(
  'mysql',
  'realtime.eventBus postgres on another database (integration)',
  () => {
    it('refuses to start on a database that is not PostgreSQL', async () => {
      await expect(givenTestApp(BUS)).to.be.rejectedWith(/needs .*PostgreSQL/);
    });
  },
);

describeOn('postgres', 'realtime.eventBus postgres (integration)', () => {
  const one = givenChatSuite(BUS);
  const two = givenChatSuite(BUS, {truncate: false});
  const streams = new TestStreams();
  afterEach(() => streams.closeAll());

  function stream(app: TestApp, user: TestUser, lastEventId?: string) {
    const headers: Record<string, string> = {};
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    return streams.connect(app, user, headers);
  }

  it('delivers every event once, in order, to clients on both instances', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(one.client, alice, [bob, carol]);
    const onOne = await stream(one, bob);
    const onTwo = await stream(two, carol);
    await sendAlternating([one, two], alice, group.id, 10);
    const expected = Array.from({length: 10}, (_, i) => `m${i + 1}`);
    for (const client of [onOne, onTwo]) {
      await client.waitUntil(() => messageBodies(client).length >= 10);
      expect(messageBodies(client)).to.eql(expected);
      expectOnceInOrder(client);
    }
  });

  it('carries typing across instances', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(one.client, alice, [bob]);
    const bobOnTwo = await stream(two, bob);
    await one.client
      .post(`/conversations/${group.id}/typing`)
      .set('Authorization', alice.auth)
      .send({typing: true})
      .expect(204);
    const frame = await bobOnTwo.waitFor('typing');
    expect(frame.data).to.containDeep({userId: alice.id, typing: true});
  });

  it('loses nothing when the LISTEN connections drop', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(one.client, alice, [bob]);
    const onOne = await stream(one, bob);
    const onTwo = await stream(two, bob);
    await sendAlternating([one, two], alice, group.id, 2, 'before');
    await onTwo.waitUntil(() => messageBodies(onTwo).length >= 2);
    const killed = await testDbQuery<{pid: number}>(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
       WHERE application_name = $1`,
      [BUS_APPLICATION_NAME],
    );
    expect(killed.length).to.be.greaterThanOrEqual(2);
    await sendAlternating([one, two], alice, group.id, 4, 'after');
    const expected = [
      'before1',
      'before2',
      'after1',
      'after2',
      'after3',
      'after4',
    ];
    for (const client of [onOne, onTwo]) {
      await client.waitUntil(() => messageBodies(client).length >= 6, 10000);
      expect(messageBodies(client)).to.eql(expected);
    }
  });

  it('resumes on the other instance with Last-Event-ID', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(one.client, alice, [bob]);
    const first = await stream(one, bob);
    await sendAlternating([one, two], alice, group.id, 2);
    await first.waitUntil(() => messageBodies(first).length >= 2);
    const seen = first.events[first.events.length - 1].id!;
    first.close();
    await sendAlternating([one, two], alice, group.id, 3, 'missed');
    const resumed = await stream(two, bob, seen);
    await resumed.waitUntil(() => messageBodies(resumed).length >= 3);
    expect(messageBodies(resumed)).to.eql(['missed1', 'missed2', 'missed3']);
  });
});
