import {expect} from '@loopback/testlab';
import {Client as PgClient} from 'pg';
import {DEFAULT_SHUTDOWN_TIMEOUT_MS} from '../../demo/env';
import {SseClient} from '../fixtures/sse-client';
import {eventually} from '../fixtures/waiting';
import {
  AppProcess,
  expectStatus,
  givenFaultDatabase,
  givenGroup,
  givenUsers,
  request,
} from './fixtures';

// The demo process stopped with SIGTERM while a member holds an event
// stream on it and a send waits for the conversation's row lock (held by
// the test): the stream gets a retry: hint and a clean end, the send
// finishes with 201 once the lock is released, the process exits with 0
// within the demo's shutdown bound, and the member, resuming on a second
// instance with the last id it saw, receives the message sent in flight.
// Past the demo's CHAT_SHUTDOWN_TIMEOUT_MS, it exits with 1 and says what
// had not stopped.

describe('fault: the app stopped with SIGTERM with a stream open and a send in flight', function (this: Mocha.Suite) {
  this.timeout(120000);
  let a: AppProcess | undefined;
  let b: AppProcess | undefined;
  let holder: PgClient | undefined;
  const streams: SseClient[] = [];

  afterEach(async () => {
    streams.splice(0).forEach(s => s.close());
    await holder?.query('ROLLBACK').catch(() => undefined);
    await holder?.end();
    holder = undefined;
    await a?.kill('SIGKILL');
    await b?.stop();
    a = b = undefined;
  });

  it('drains, finishes the send, exits with 0 in time; the client resumes on the other instance', async () => {
    const databaseUrl = await givenFaultDatabase('chat_fault_term');
    a = new AppProcess({databaseUrl, name: 'A'});
    b = new AppProcess({databaseUrl, name: 'B'});
    await Promise.all([a.start(), b.start()]);
    const [alice, bob] = await givenUsers(2);
    const conversationId = await givenGroup(a.url, alice, [bob]);
    const stream = await SseClient.connect(`${a.url}/events`, {
      Authorization: alice.authorization,
    });
    streams.push(stream);
    expect(stream.status).to.equal(200);
    await expectStatus(
      201,
      a.url,
      'POST',
      `/conversations/${conversationId}/messages`,
      bob,
      {body: 'before'},
    );
    await stream.waitFor('message.created');

    holder = await lockConversation(databaseUrl, conversationId);
    const inFlight = request(
      a.url,
      'POST',
      `/conversations/${conversationId}/messages`,
      bob,
      {body: 'in flight'},
    );
    await waitForLockWait(holder);

    const signalledAt = Date.now();
    const stopped = a.stop(); // SIGTERM
    await eventually(() => stream.ended, 'the stream ended', 10000);
    expect(stream.endedCleanly).to.be.true();
    expect(stream.retryMs).to.be.within(1000, 2000);
    await holder.query('COMMIT');
    const answer = await inFlight;
    expect(answer.status).to.equal(201);
    expect(answer.body).to.containDeep({body: 'in flight', seq: 2});
    await stopped;
    const tookMs = Date.now() - signalledAt;
    expect(a.exit).to.eql({code: 0, signal: null});
    expect(tookMs).to.be.below(DEFAULT_SHUTDOWN_TIMEOUT_MS);
    expect(a.log).to.match(/Stopped\./);

    const lastSeen = stream.events.at(-1)!.id!;
    const resumed = await SseClient.connect(`${b.url}/events`, {
      Authorization: alice.authorization,
      'Last-Event-ID': lastSeen,
    });
    streams.push(resumed);
    const frame = await resumed.waitFor('message.created');
    expect(frame.data.message).to.containDeep({body: 'in flight', seq: 2});
    expect(resumed.events.map(f => f.id)).to.eql([frame.id]);
  });

  it('exits with 1 past CHAT_SHUTDOWN_TIMEOUT_MS, naming what did not stop', async () => {
    const databaseUrl = await givenFaultDatabase('chat_fault_deadline');
    // shorter than the REST server's grace for requests in flight (2 s)
    a = new AppProcess({
      databaseUrl,
      name: 'A',
      env: {CHAT_SHUTDOWN_TIMEOUT_MS: '300'},
    });
    await a.start();
    const [alice, bob] = await givenUsers(2);
    const conversationId = await givenGroup(a.url, alice, [bob]);
    holder = await lockConversation(databaseUrl, conversationId);
    const inFlight = request(
      a.url,
      'POST',
      `/conversations/${conversationId}/messages`,
      bob,
      {body: 'held'},
    ).catch((err: Error) => err);
    await waitForLockWait(holder);

    await a.stop(); // SIGTERM
    expect(a.exit).to.eql({code: 1, signal: null});
    expect(a.log).to.match(
      /Not stopped within 300 ms \(CHAT_SHUTDOWN_TIMEOUT_MS\): the REST server \(requests in flight[^)]*\) did not stop; exiting with code 1\./,
    );
    // the process is gone: the request got no answer
    expect(await inFlight).to.be.instanceOf(Error);
  });
});

/** A connection of the test's own holding `conversationId`'s row lock. */
async function lockConversation(
  databaseUrl: string,
  conversationId: string,
): Promise<PgClient> {
  const client = new PgClient({connectionString: databaseUrl});
  await client.connect();
  await client.query('BEGIN');
  await client.query(
    'SELECT id FROM chat_conversations WHERE id = $1 FOR UPDATE',
    [conversationId],
  );
  return client;
}

/** Waits until a transaction of the database waits for a lock. */
function waitForLockWait(client: PgClient): Promise<void> {
  return eventually(async () => {
    const {rows} = await client.query(
      `SELECT COUNT(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return Number(rows[0].n) > 0;
  }, 'a request waiting for the lock');
}
