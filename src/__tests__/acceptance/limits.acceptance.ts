import {expect} from '@loopback/testlab';
import {ChatServiceBindings, EventStream} from '../..';
import {ChatApiError, ChatEventStream, StreamState} from '../../client';
import {
  clientFor,
  eventually,
  expectNothingWithin,
  givenGroup,
  givenMessages,
  givenUsers,
  TestFetch,
  TestUser,
  CapturedLogger,
  givenChatSuite,
} from '../fixtures';

const MAX_STREAMS = 2;
const MAX_BUFFERED = 256 * 1024;
const MAX_UNREAD = 2;

describe('per-user limits (acceptance)', () => {
  const logger = new CapturedLogger();
  const testApp = givenChatSuite(
    {
      realtime: {
        maxStreamsPerUser: MAX_STREAMS,
        maxBufferedBytes: MAX_BUFFERED,
      },
      limits: {maxUnreadConversations: MAX_UNREAD, maxMessageLength: 40000},
    },
    {beforeStart: app => app.bind(ChatServiceBindings.LOGGER).to(logger)},
  );
  let sdkStream: ChatEventStream | undefined;
  afterEach(() => sdkStream?.close());

  const stream = (user: TestUser) => testApp.stream(user);

  describe('open event streams per user', () => {
    it('answers 429 TOO_MANY_STREAMS with Retry-After past the limit', async () => {
      const [alice, bob] = await givenUsers(2);
      const open = [await stream(alice), await stream(alice)];
      expect(open.map(c => c.status)).to.eql([200, 200]);
      const res = await testApp.client
        .get('/events')
        .set('Authorization', alice.auth)
        .expect(429);
      expect(res.headers['retry-after']).to.equal('10');
      expect(res.body).to.eql({
        error: {
          statusCode: 429,
          name: 'TooManyRequestsError',
          message: `At most ${MAX_STREAMS} event streams per user are open at once.`,
          code: 'TOO_MANY_STREAMS',
        },
      });
      expect((await stream(bob)).status).to.equal(200);
      open[0].close();
      await eventually(
        async () => (await stream(alice)).status === 200,
        'a stream opens again',
      );
    });

    it('the client SDK waits for Retry-After instead of retrying at once', async () => {
      const [alice] = await givenUsers(1);
      await stream(alice);
      await stream(alice);
      const net = new TestFetch();
      const states: Array<[StreamState, unknown]> = [];
      sdkStream = clientFor(testApp, alice, {fetch: net.fetch}).events({
        reconnectDelayMs: 10,
      });
      sdkStream.onState((state, error) => states.push([state, error]));
      await eventually(() => states.length > 0, 'refused');
      const [state, error] = states[0];
      expect(state).to.equal('reconnecting');
      expect(error).to.be.instanceOf(ChatApiError);
      expect((error as ChatApiError).code).to.equal('TOO_MANY_STREAMS');
      await expectNothingWithin(
        () => net.callsTo('GET', /^\/events$/).length > 1,
        'a retry before Retry-After',
      );
    });
  });

  describe('bytes buffered per stream', () => {
    it('ends a stream whose client stops reading, once, not the others', async () => {
      const [alice, slow, fast] = await givenUsers(3);
      const group = await givenGroup(testApp.client, alice, [slow, fast]);
      const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
      const slowStream = await stream(slow);
      const fastStream = await stream(fast);
      let server: EventStream | undefined;
      hub.streams.forUser('', slow.id, s => (server = s));
      slowStream.pause();
      // the kernel's socket buffers take a few MB before the server's own
      // buffer grows: send 32 KiB messages until the slow client is dropped
      const filler = 'x'.repeat(32 * 1024);
      let sent = 0;
      const send = () =>
        testApp.client
          .post(`/conversations/${group.id}/messages`)
          .set('Authorization', alice.auth)
          .send({body: `${++sent} ${filler}`})
          .expect(201);
      while (!server!.closed && sent < 1000) await send();
      for (let i = 0; i < 5; i++) await send(); // the others still get them
      expect(server!.closed).to.be.true();
      // over the bound by less than one frame (a message event, ~33 KiB)
      expect(server!.bufferedPeak).to.be.above(MAX_BUFFERED);
      expect(server!.bufferedPeak).to.be.below(MAX_BUFFERED + 36 * 1024);
      expect(hub.streams.countOf('', fast.id)).to.equal(1);
      await fastStream.waitUntil(
        f => f.filter(x => x.id).length >= sent,
        20000,
      );
      const bodies = fastStream.events.map(
        e => (e.data.message as {body: string}).body.split(' ')[0],
      );
      expect(bodies).to.eql(
        Array.from({length: sent}, (_, i) => String(i + 1)),
      );
      expect(
        logger
          .matching('warn', /./)
          .filter(w => w.includes(JSON.stringify(slow.id))),
      ).to.have.length(1);
    });
  });

  describe('GET /unread', () => {
    it('lists the most recently active conversations up to the limit, total exact', async () => {
      const [owner, reader] = await givenUsers(2);
      const ids: string[] = [];
      for (const count of [1, 2, 3]) {
        const {id} = await givenGroup(testApp.client, owner, [reader]);
        await givenMessages(testApp.client, owner, id, count);
        ids.push(id);
      }
      const unread = async () =>
        (
          await testApp.client
            .get('/unread')
            .set('Authorization', reader.auth)
            .expect(200)
        ).body;
      expect(await unread()).to.eql({
        total: 6,
        conversations: [
          {conversationId: ids[2], unreadCount: 3},
          {conversationId: ids[1], unreadCount: 2},
        ],
        truncated: true,
      });
      await testApp.client
        .post(`/conversations/${ids[2]}/read`)
        .set('Authorization', reader.auth)
        .send({seq: 3})
        .expect(200);
      expect(await unread()).to.eql({
        total: 3,
        conversations: [
          {conversationId: ids[1], unreadCount: 2},
          {conversationId: ids[0], unreadCount: 1},
        ],
        truncated: false,
      });
    });
  });
});
