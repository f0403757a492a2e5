import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  describeBackend,
  eventually,
  givenGroup,
  givenLockHolder,
  givenMessage,
  givenSyncedEvents,
  givenTestApp,
  givenUsers,
  LockHolder,
  SseClient,
  stopTestApp,
  TestApp,
  TestUser,
  truncateChatTables,
  waitForLockWaits,
} from '../fixtures';

// An instance stopping while a client holds an event stream on it and a
// send waits for a row lock: the stream is told to reconnect and ends
// cleanly, the send finishes with its normal answer, and the client,
// resuming on a second instance on the same database with the last id it
// saw, misses nothing.

const RECONNECT_DELAY_MS = 200;

describe(`graceful shutdown (${describeBackend()})`, () => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  let holder: LockHolder | undefined;
  const streams: SseClient[] = [];
  let alice: TestUser, bob: TestUser;
  let conversationId: string;

  beforeEach(truncateChatTables);
  beforeEach(async () => {
    first = await givenTestApp(
      {shutdown: {reconnectDelayMs: RECONNECT_DELAY_MS}},
      // as a host sets it: the server waits this long for requests
      {gracePeriodForClose: 10000},
    );
    [alice, bob] = await givenUsers(2);
    conversationId = (await givenGroup(first.client, alice, [bob])).id;
  });
  afterEach(async () => {
    streams.splice(0).forEach(s => s.close());
    await holder?.rollback().catch(() => undefined);
    await holder?.end();
    holder = undefined;
    await stopTestApp(first);
    await stopTestApp(second);
    first = second = undefined;
  });

  async function openStream(
    app: TestApp,
    user: TestUser,
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    const stream = await SseClient.connect(`${app.app.restServer.url}/events`, {
      Authorization: user.auth,
      ...headers,
    });
    streams.push(stream);
    return stream;
  }

  it('on stop: draining, streams told to reconnect and ended, a request in flight finished; the client resumes elsewhere and misses nothing', async () => {
    const stream = await openStream(first!, alice);
    expect(stream.status).to.equal(200);
    await givenMessage(first!.client, bob, conversationId, 'before');
    await stream.waitFor('message.created');

    // a send in flight: it waits for the conversation's row lock
    holder = await givenLockHolder();
    await holder.begin();
    await holder.query(
      'SELECT id FROM chat_conversations WHERE id = $1 FOR UPDATE',
      [conversationId],
    );
    const inFlight = first!.client
      .post(`/conversations/${conversationId}/messages`)
      .set('Authorization', bob.auth)
      .send({body: 'in flight'})
      .then(res => res);
    await waitForLockWaits();

    let stopped = false;
    const stopping = first!.app.stop().then(() => (stopped = true));
    await eventually(() => stream.ended, 'the stream ended');
    expect(stream.endedCleanly).to.be.true();
    expect(stream.retryMs).to.be.within(
      RECONNECT_DELAY_MS,
      2 * RECONNECT_DELAY_MS,
    );
    expect(stream.commentLines.at(-1)).to.match(/shutting down/);
    const health = await first!.app.get(ChatServiceBindings.HEALTH);
    expect(await health.check()).to.containDeep({
      status: 'draining',
      draining: true,
    });
    // the stop waits for the request in flight
    expect(stopped).to.be.false();

    await holder.commit();
    const answer = await inFlight;
    expect(answer.status).to.equal(201);
    expect(answer.body).to.containDeep({body: 'in flight', seq: 2});
    await stopping;

    // the client resumes on another instance from the last id it saw
    second = await givenTestApp();
    const lastSeen = stream.events.at(-1)!.id!;
    const resumed = await openStream(second, alice, {
      'Last-Event-ID': lastSeen,
    });
    await givenMessage(second.client, bob, conversationId, 'after');
    await resumed.waitFor(
      'message.created',
      f => (f.data.message as {seq: number}).seq === 3,
    );
    const missed = await givenSyncedEvents(second.client, alice, lastSeen);
    expect(missed.map(e => String(e.id))).to.eql(resumed.events.map(f => f.id));
    expect(
      resumed.events.map(f => (f.data.message as {body: string}).body),
    ).to.eql(['in flight', 'after']);
  });

  it("refuses new streams with 503 SHUTTING_DOWN once a host's drain() began, and still answers other requests", async () => {
    const stream = await openStream(first!, alice);
    const shutdown = await first!.app.get(ChatServiceBindings.SHUTDOWN);
    await shutdown.drain();
    await eventually(() => stream.ended, 'the stream ended');
    expect(stream.endedCleanly).to.be.true();

    const refused = await first!.client
      .get('/events')
      .set('Authorization', bob.auth)
      .expect(503);
    expect(refused.headers['retry-after']).to.equal('1');
    expect(refused.body).to.eql({
      error: {
        statusCode: 503,
        name: 'ServiceUnavailableError',
        message:
          'This server is shutting down; open the event stream again ' +
          '(another instance answers it) after Retry-After.',
        code: 'SHUTTING_DOWN',
      },
    });
    const health = await first!.app.get(ChatServiceBindings.HEALTH);
    expect((await health.check()).status).to.equal('draining');
    await first!.client
      .get('/conversations')
      .set('Authorization', bob.auth)
      .expect(200);
  });
});
