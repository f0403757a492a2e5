import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  ChatApiError,
  ChatClient,
  ChatEventStream,
  ChatNetworkError,
  isCursorExpired,
  StreamState,
} from '../../client';
import {
  clientFor,
  givenUsers,
  TestFetch,
  TestUser,
  givenChatSuite,
  eventually,
  ageLoggedEvents,
  expectNothingWithin,
} from '../fixtures';

const isStream = (c: {method: string; path: string}) =>
  c.method === 'GET' && c.path === '/events';

describe('client: event stream reconnect and resume (integration)', () => {
  const testApp = givenChatSuite();
  let bob: TestUser;
  let asAlice: ChatClient, asBob: ChatClient;
  let net: TestFetch;
  let conversationId: string;
  let stream: ChatEventStream | undefined;
  beforeEach(async () => {
    let alice: TestUser;
    [alice, bob] = await givenUsers(2);
    net = new TestFetch();
    asAlice = clientFor(testApp, alice);
    asBob = clientFor(testApp, bob, {fetch: net.fetch});
    conversationId = (await asAlice.direct(bob.id)).id;
  });
  afterEach(() => stream?.close());

  /** Bob's stream, recording message bodies, event ids and states. */
  function openBobsStream(options = {}) {
    stream = asBob.events({reconnectDelayMs: 20, ...options});
    const seen = {bodies: [] as string[], ids: [] as number[]};
    const states: Array<[StreamState, unknown]> = [];
    stream.on('message.created', e => {
      seen.bodies.push(e.message.body!);
      seen.ids.push(e.id);
    });
    stream.onState((state, error) => states.push([state, error]));
    return {stream, seen, states};
  }

  const send = (body: string) => asAlice.sendMessage(conversationId, {body});
  const dropStreams = async () =>
    (await testApp.app.get(ChatServiceBindings.EVENT_HUB)).streams.closeAll();

  it('reconnects with Last-Event-ID: what was sent meanwhile arrives once, in order', async () => {
    const {seen, states} = openBobsStream();
    await stream!.opened();
    await send('m1');
    await eventually(() => seen.bodies.length === 1, 'm1');
    // the server drops the stream; the reconnect waits until m2, m3 are in
    const release = net.hold(isStream);
    await dropStreams();
    await send('m2');
    await send('m3');
    await eventually(
      () => net.callsTo('GET', /^\/events$/).length === 2,
      'retry',
    );
    release();
    await eventually(() => stream!.connections === 2, 'reconnected');
    await send('m4');
    await eventually(() => seen.bodies.includes('m4'), 'm4');
    // a duplicate the reconnect caused comes before a message sent now,
    // or later: within the bound
    await send('m5');
    await eventually(() => seen.bodies.includes('m5'), 'm5');
    await expectNothingWithin(() => seen.bodies.length > 5, 'a duplicate');

    expect(seen.bodies).to.eql(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect([...seen.ids].sort((a, b) => a - b)).to.eql(seen.ids);
    expect(new Set(seen.ids).size).to.equal(5);
    const resumeFrom = net.callsTo('GET', /^\/events$/).map(c => c.headers);
    expect(resumeFrom[0]['Last-Event-ID']).to.be.undefined();
    expect(resumeFrom[1]['Last-Event-ID']).to.equal(String(seen.ids[0]));
    expect(states.map(([s]) => s)).to.eql(['open', 'reconnecting', 'open']);
  });

  it('never delivers twice what an overlapping replay repeats', async () => {
    const {seen} = openBobsStream();
    const types: string[] = [];
    stream!.onEvent(e => {
      if (e.type !== 'presence') types.push(e.type);
    });
    await stream!.opened();
    await send('m1');
    await eventually(() => seen.bodies.length === 1, 'm1');
    // an older resume point than the stream's: the server replays m1 again
    const before = String(seen.ids[0] - 1);
    net.rewriteHeaders = call => {
      if (isStream(call)) call.headers['Last-Event-ID'] = before;
    };
    await dropStreams();
    await send('m2');
    await eventually(() => seen.bodies.includes('m2'), 'm2');
    await send('m3');
    await eventually(() => seen.bodies.includes('m3'), 'm3');
    await expectNothingWithin(() => seen.bodies.length > 3, 'a duplicate');
    expect(seen.bodies).to.eql(['m1', 'm2', 'm3']);
    expect(types).to.eql(Array(3).fill('message.created'));
  });

  it('resumes from a stored lastEventId', async () => {
    const {nextCursor} = await asBob.sync();
    await send('while away 1');
    await send('while away 2');
    const {seen} = openBobsStream({lastEventId: nextCursor});
    await eventually(() => seen.bodies.length === 2, 'replay');
    expect(seen.bodies).to.eql(['while away 1', 'while away 2']);
    expect(net.calls[net.calls.length - 1].headers['Last-Event-ID']).to.equal(
      nextCursor,
    );
  });

  it('keeps trying while it cannot connect, then opens', async () => {
    net.failOnce(isStream, 'before-sending');
    net.failOnce(isStream, 503);
    const {states} = openBobsStream();
    await stream!.opened();
    expect(states.map(([s]) => s)).to.eql([
      'reconnecting',
      'reconnecting',
      'open',
    ]);
    expect(states[0][1]).to.be.instanceOf(ChatNetworkError);
    expect(states[1][1]).to.containDeep({status: 503});
    await send('after all');
    await eventually(() => stream!.lastEventId !== undefined, 'an event');
  });

  it('ends on a 4xx, such as a rejected token, with its ChatApiError', async () => {
    const stranger = clientFor(
      testApp,
      {id: 'x', auth: 'Bearer nope'},
      {fetch: net.fetch},
    );
    stream = stranger.events({reconnectDelayMs: 1});
    const err = await stream.opened().catch(e => e);
    expect(err).to.be.instanceOf(ChatApiError);
    expect(err).to.containDeep({status: 401, code: 'INVALID_TOKEN'});
    expect(stream.state).to.equal('closed');
    await expectNothingWithin(() => net.calls.length > 1, 'a retry after 401');
    expect(net.calls).to.have.length(1);
  });

  it('closes for good: the server sees the stream end', async () => {
    openBobsStream();
    await stream!.opened();
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    expect(hub.streams.size).to.equal(1);
    stream!.close();
    await eventually(() => hub.streams.size === 0, 'the server-side close');
    expect(stream!.state).to.equal('closed');
    expect(net.callsTo('GET', /^\/events$/)).to.have.length(1);
  });
});

describe('client: an expired cursor (integration)', () => {
  const testApp = givenChatSuite();
  let asAlice: ChatClient, asBob: ChatClient;
  let net: TestFetch;
  let stream: ChatEventStream | undefined;
  afterEach(() => stream?.close());

  /** Bob's first event id, then every event before the last pruned. */
  async function givenExpiredCursor(): Promise<string> {
    const [alice, bob] = await givenUsers(2);
    net = new TestFetch();
    asAlice = clientFor(testApp, alice);
    asBob = clientFor(testApp, bob, {fetch: net.fetch});
    const {id} = await asAlice.direct(bob.id);
    await asAlice.sendMessage(id, {body: 'kept'});
    const [first, kept] = (await asBob.sync()).items;
    await ageLoggedEvents(kept.id);
    await (await testApp.app.get(ChatServiceBindings.EVENT_PRUNER)).prune();
    return String(first.id - 1);
  }

  it('rejects sync({since}) with an error isCursorExpired recognises', async () => {
    const expired = await givenExpiredCursor();
    const err = await asBob.sync({since: expired}).catch(e => e);
    expect(isCursorExpired(err)).to.be.true();
    expect(err).to.be.instanceOf(ChatApiError);
    expect(err).to.containDeep({status: 410, code: 'CURSOR_EXPIRED'});
    // the way on: reload, then sync without since
    const page = await asBob.sync();
    expect(page.items.map(e => e.type)).to.eql(['message.created']);
  });

  it('ends a stream resuming from it, closed with the error, and forgets the id', async () => {
    const expired = await givenExpiredCursor();
    stream = asBob.events({lastEventId: expired, reconnectDelayMs: 20});
    const states: Array<[StreamState, unknown]> = [];
    stream.onState((state, error) => states.push([state, error]));
    const err = await stream.opened().catch(e => e);
    expect(isCursorExpired(err)).to.be.true();
    expect(stream.state).to.equal('closed');
    expect(stream.lastEventId).to.be.undefined();
    expect(states).to.eql([['closed', err]]);
    const calls = net.callsTo('GET', /^\/events$/);
    expect(calls).to.have.length(1);
    expect(calls[0].headers['Last-Event-ID']).to.equal(expired);
  });
});
