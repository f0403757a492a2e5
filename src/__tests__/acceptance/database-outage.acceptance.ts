import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  CapturedLogger,
  clientFor,
  describeBackend,
  eventually,
  givenGroup,
  givenUsers,
  TcpProxy,
  testDatabaseUrl,
  testDbQuery,
  TestFetch,
  TestUser,
  givenChatSuite,
} from '../fixtures';

// issue #13: a database outage answered a bare 500. The test app's
// datasource goes through a TCP proxy that the test cuts (every
// connection reset, new ones refused) and restores.
describe(`a database outage (${describeBackend()})`, () => {
  let proxy: TcpProxy;
  const log = new CapturedLogger();
  let owner: TestUser;
  let id: string;

  before(async () => {
    proxy = await TcpProxy.for(testDatabaseUrl());
  });
  const testApp = givenChatSuite(
    {database: {retryAfterSeconds: 1}},
    {
      databaseUrl: () => proxy.urlThrough(testDatabaseUrl()),
      beforeStart: app => app.bind(ChatServiceBindings.LOGGER).to(log),
    },
  );
  const client = testApp.client;
  // the suite's app stops with the database reachable
  afterEach(() => proxy.restore());
  after(() => proxy.close());

  beforeEach(async () => {
    [owner] = await givenUsers(1);
    id = (await givenGroup(client, owner)).id;
  });

  const requests = () => [
    client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', owner.auth)
      .send({body: 'during the outage', clientMessageId: 'out-1'}),
    client.get('/conversations').set('Authorization', owner.auth),
    client
      .get(`/conversations/${id}/messages`)
      .set('Authorization', owner.auth),
    client.get('/unread').set('Authorization', owner.auth),
    // a stream cannot start: an error, not an empty 200 an EventSource
    // would never retry
    client.get('/events').set('Authorization', owner.auth),
  ];

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, then answers again', async () => {
    await client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', owner.auth)
      .send({body: 'before'})
      .expect(201);
    log.lines.splice(0);
    proxy.cut();
    for (let round = 0; round < 2; round++) {
      for (const res of await Promise.all(requests())) {
        expect(res.status).to.equal(503);
        expect(res.headers['retry-after']).to.equal('1');
        expect(res.body).to.eql({
          error: {
            statusCode: 503,
            name: 'ServiceUnavailableError',
            message: 'The database cannot be reached now; retry later.',
            code: 'SERVICE_UNAVAILABLE',
          },
        });
      }
    }
    // one line for the outage, not one per request (the logger, bound
    // before the start, also has the event hub's own line)
    expect(log.matching('warn', /database cannot be reached/)).to.have.length(
      1,
    );

    proxy.restore();
    await eventually(async () => {
      const res = await client
        .get('/conversations')
        .set('Authorization', owner.auth);
      return res.status === 200;
    }, 'the app answering again');
    const sent = await client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', owner.auth)
      .send({body: 'after'})
      .expect(201);
    expect(sent.body.seq).to.equal(2);
    // the outage's two lines (the event hub notes its own outage too)
    const outage = log.lines.filter(l =>
      /database (cannot be reached|answers again)/.test(l.message),
    );
    expect(outage.map(l => l.level)).to.eql(['warn', 'info']);
    expect(outage[1].message).to.match(/answers again/);
  });

  it('lets the client SDK retry a send across a short outage: it lands once', async () => {
    const net = new TestFetch();
    let refused = 0;
    const asOwner = clientFor(testApp, owner, {
      fetch: async (url, init) => {
        const res = await net.fetch(url, init);
        if (res.status === 503) refused++;
        return res;
      },
      retry: {attempts: 6, delayMs: 50, maxDelayMs: 2000},
    });
    proxy.cut();
    const sending = asOwner.sendMessage(id, {
      body: 'across the cut',
      clientMessageId: 'across-1',
    });
    await eventually(() => refused > 0, 'a send answered 503');
    proxy.restore();
    const message = await sending;
    expect(message).to.containDeep({clientMessageId: 'across-1', seq: 1});
    expect(net.callsTo('POST', /\/messages$/).length).to.be.above(1);
    const rows = await testDbQuery(
      `SELECT id FROM chat_messages
       WHERE conversation_id = $1 AND client_message_id = 'across-1'`,
      [id],
    );
    expect(rows).to.have.length(1);
  });

  it('leaves the answers of host routes alone', async () => {
    testApp.app.route('get', '/host-db', {responses: {}}, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      });
    });
    const res = await client.get('/host-db');
    expect(res.status).to.equal(500);
    expect(res.headers).to.not.have.property('retry-after');
  });
});
