import {Response} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import http from 'node:http';
import {AddressInfo} from 'node:net';
import {
  ChatEventView,
  EventStream,
  EventStreamLimits,
  frame,
} from '../../realtime';
import {CapturedLogger, eventually, SseClient} from '../fixtures';

const USER = {id: 'bob', tenantId: ''};
const LIMITS: EventStreamLimits = {
  maxQueuedEvents: 100,
  maxBufferedBytes: 1024 * 1024,
};

function logged(id: number, extra: object = {}): ChatEventView {
  return {
    id,
    type: 'message.created',
    conversationId: 'c',
    createdAt: new Date(0),
    ...extra,
  };
}

function typing(): ChatEventView {
  return {
    id: null,
    type: 'typing',
    conversationId: 'c',
    createdAt: new Date(0),
    userId: 'ann',
    typing: true,
  };
}

describe('EventStream (unit)', () => {
  let server: http.Server;
  let url: string;
  let nextResponse: (res: http.ServerResponse) => void;
  let logger: CapturedLogger;
  const clients: SseClient[] = [];

  beforeEach(async () => {
    logger = new CapturedLogger();
    server = http.createServer((_req, res) => nextResponse(res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    clients.splice(0).forEach(c => c.close());
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  /** An open stream on a real response, its client connected. */
  async function givenStream({limits = LIMITS, cursor = 0} = {}): Promise<{
    stream: EventStream;
    client: SseClient;
  }> {
    const response = new Promise<http.ServerResponse>(
      resolve => (nextResponse = resolve),
    );
    const connecting = SseClient.connect(url);
    const res = await response;
    const stream = new EventStream(
      USER,
      res as unknown as Response,
      limits,
      cursor,
      logger,
    );
    stream.open();
    const client = await connecting;
    clients.push(client);
    return {stream, client};
  }

  const ids = (client: SseClient) => client.events.map(e => Number(e.id));

  it('writes what arrived live during the replay after it, in log order, each once', async () => {
    const {stream, client} = await givenStream();
    stream.deliver(logged(4));
    stream.deliver(logged(2));
    stream.deliver(logged(3));
    stream.replay(logged(1));
    stream.replay(logged(2));
    expect(stream.replaying).to.be.true();
    stream.endReplay();
    stream.deliver(logged(3)); // a duplicate of a delivered one
    stream.deliver(logged(5));
    await client.waitUntil(() => ids(client).includes(5));
    expect(ids(client)).to.eql([1, 2, 3, 4, 5]);
    expect(stream.cursor).to.equal(5);
  });

  it('skips events at or before the cursor it resumes from', async () => {
    const {stream, client} = await givenStream({cursor: 5});
    stream.replay(logged(5));
    stream.replay(logged(6));
    stream.deliver(logged(4));
    stream.endReplay();
    stream.deliver(logged(6));
    stream.deliver(logged(7));
    await client.waitUntil(() => ids(client).includes(7));
    expect(ids(client)).to.eql([6, 7]);
  });

  it('writes each frame with its id, type and data, and ephemeral ones without id', async () => {
    const {stream, client} = await givenStream();
    stream.endReplay();
    stream.deliverEphemeral(typing());
    stream.deliver(logged(1, {actorId: 'ann'}));
    await client.waitUntil(() => client.frames.length >= 2);
    expect(client.frames).to.eql([
      {event: 'typing', data: JSON.parse(JSON.stringify(typing()))},
      {
        id: '1',
        event: 'message.created',
        data: JSON.parse(JSON.stringify(logged(1, {actorId: 'ann'}))),
      },
    ]);
    expect(frame(typing())).to.not.match(/^id:/);
  });

  it('drops ephemeral events while it replays', async () => {
    const {stream, client} = await givenStream();
    stream.deliverEphemeral(typing());
    stream.replay(logged(1));
    stream.endReplay();
    stream.deliver(logged(2));
    await client.waitUntil(() => ids(client).includes(2));
    expect(client.frames.map(f => f.event)).to.not.containEql('typing');
  });

  it('holds at most maxQueuedEvents live events during the replay, then closes', async () => {
    const {stream, client} = await givenStream({
      limits: {...LIMITS, maxQueuedEvents: 2},
    });
    let closedBy: string | undefined;
    stream.whenClosed(() => (closedBy ??= 'listener'));
    stream.deliver(logged(1));
    stream.deliver(logged(2));
    expect(stream.closed).to.be.false();
    stream.deliver(logged(3));
    expect(stream.closed).to.be.true();
    expect(closedBy).to.equal('listener');
    stream.endReplay(); // the replay ending later writes nothing
    await client.waitUntil(() => client.ended);
    expect(client.frames).to.eql([]);
  });

  it('drops what waits for the replay when it closes meanwhile', async () => {
    const {stream, client} = await givenStream();
    stream.deliver(logged(2));
    stream.close();
    stream.replay(logged(1));
    stream.endReplay();
    stream.deliver(logged(3));
    await client.waitUntil(() => client.ended);
    expect(client.frames).to.eql([]);
  });

  it('cuts a client that does not take what it is sent, logging it once', async () => {
    const limits = {...LIMITS, maxBufferedBytes: 64 * 1024};
    const {stream, client} = await givenStream({limits});
    client.pause();
    stream.endReplay();
    const big = logged(0, {body: 'x'.repeat(16 * 1024)});
    const frameBytes = Buffer.byteLength(frame({...big, id: 1_000_000}));
    let id = 0;
    // until the kernel's socket buffers are full and Node starts holding bytes
    await eventually(() => {
      for (let i = 0; i < 50 && !stream.closed; i++) {
        stream.deliver({...big, id: ++id});
      }
      return stream.closed;
    }, 'the slow client cut');
    expect(stream.bufferedPeak).to.be.greaterThan(limits.maxBufferedBytes);
    expect(stream.bufferedPeak).to.be.belowOrEqual(
      limits.maxBufferedBytes + frameBytes,
    );
    stream.deliver({...big, id: ++id});
    expect(
      logger.matching('warn', /closed the event stream of user "bob"/),
    ).to.have.length(1);
    await eventually(() => client.ended, 'the client sees the stream end');
  });

  it('closes when its client goes away, and tells its listeners once', async () => {
    const {stream, client} = await givenStream();
    const calls: string[] = [];
    stream.whenClosed(() => calls.push('first'));
    client.close();
    await eventually(() => stream.closed, 'the stream closed');
    stream.close();
    stream.whenClosed(() => calls.push('late'));
    expect(calls).to.eql(['first', 'late']);
  });

  it('sends heartbeats only once its headers are out', async () => {
    const response = new Promise<http.ServerResponse>(
      resolve => (nextResponse = resolve),
    );
    const connecting = SseClient.connect(url);
    const res = await response;
    const stream = new EventStream(USER, res as unknown as Response, LIMITS, 0);
    stream.heartbeat();
    // a write would have sent the headers (a 200 before the start is known)
    expect(res.headersSent).to.be.false();
    stream.open();
    const client = await connecting;
    clients.push(client);
    stream.endReplay();
    stream.heartbeat();
    stream.deliver(logged(1));
    await client.waitUntil(() => ids(client).includes(1));
    expect(client.comments).to.equal(1);
  });

  it('discard() leaves an unopened response to answer an error', async () => {
    const response = new Promise<http.ServerResponse>(
      resolve => (nextResponse = resolve),
    );
    const answered = new Promise<number>((resolve, reject) =>
      http.get(url, res => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    const res = await response;
    const stream = new EventStream(USER, res as unknown as Response, LIMITS, 0);
    const closed: boolean[] = [];
    stream.whenClosed(() => closed.push(true));
    stream.discard();
    expect(stream.closed).to.be.true();
    expect(closed).to.eql([true]);
    expect(res.headersSent).to.be.false();
    res.writeHead(503).end();
    expect(await answered).to.equal(503);
  });

  it('closeForShutdown() sends retry: and a comment, then ends the response cleanly', async () => {
    const {stream, client} = await givenStream();
    stream.endReplay();
    stream.deliver(logged(1));
    await stream.closeForShutdown(1500);
    await eventually(() => client.ended, 'the response ended');
    expect(client.endedCleanly).to.be.true();
    expect(ids(client)).to.eql([1]);
    expect(client.retryMs).to.equal(1500);
    expect(client.commentLines).to.eql([
      'this server is shutting down; reconnect with Last-Event-ID',
    ]);
    expect(stream.closed).to.be.true();
  });

  it('closeForShutdown() of a stream not open yet leaves its request to answer 503', async () => {
    const response = new Promise<http.ServerResponse>(
      resolve => (nextResponse = resolve),
    );
    const answered = new Promise<number>((resolve, reject) =>
      http.get(url, res => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    const res = await response;
    const stream = new EventStream(USER, res as unknown as Response, LIMITS, 0);
    await stream.closeForShutdown(1000);
    expect(stream.refusedForShutdown).to.be.true();
    // the start finishing later writes nothing
    stream.open();
    expect(res.headersSent).to.be.false();
    res.writeHead(503).end();
    expect(await answered).to.equal(503);
  });
});
