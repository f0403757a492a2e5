import {expect} from '@loopback/testlab';
import {randomUUID} from 'crypto';
import {
  ChatApiError,
  ChatClient,
  ChatNetworkError,
  SendMessageInput,
} from '../../client';
import {
  clientFor,
  givenUsers,
  TestFetch,
  TestUser,
  testDbQuery,
  givenChatSuite,
} from '../fixtures';

const isSend = (c: {method: string; path: string}) =>
  c.method === 'POST' && /\/messages$/.test(c.path);

describe('client: typed errors and retries (integration)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser, bob: TestUser;
  let net: TestFetch;
  let asAlice: ChatClient;
  let conversationId: string;
  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
    net = new TestFetch();
    asAlice = clientFor(testApp, alice, {
      fetch: net.fetch,
      retry: {delayMs: 5},
    });
    conversationId = (await asAlice.direct(bob.id)).id;
  });

  async function storedMessages() {
    const rows = await testDbQuery<{cid: string}>(
      'SELECT client_message_id AS cid FROM chat_messages WHERE conversation_id = $1',
      [conversationId],
    );
    return rows.map(r => r.cid);
  }

  it('throws ChatApiError with the status and code of the server', async () => {
    const err = await asAlice.getConversation(randomUUID()).catch(e => e);
    expect(err).to.be.instanceOf(ChatApiError);
    expect(err).to.containDeep({
      name: 'ChatApiError',
      status: 404,
      code: 'CONVERSATION_NOT_FOUND',
    });
    expect(net.calls).to.have.length(2); // the direct, then this one: no retry
  });

  it('carries the code and details of a 422', async () => {
    const input = {body: 'x', seq: 3} as SendMessageInput; // server-owned
    const err = await asAlice.sendMessage(conversationId, input).catch(e => e);
    expect(err).to.be.instanceOf(ChatApiError);
    expect(err).to.containDeep({status: 422, code: 'VALIDATION_FAILED'});
    expect(JSON.stringify(err.details)).to.match(/seq/);
    const query = asAlice.listMessages(conversationId, {limit: 0});
    await expect(query).to.be.rejectedWith({
      status: 422,
      code: 'INVALID_FIELD',
    });
  });

  it('answers a bad token with 401 and its code', async () => {
    const stranger = clientFor(testApp, {id: 'x', auth: 'Bearer nope'});
    const err = await stranger.unread().catch(e => e);
    expect(err).to.containDeep({status: 401, code: 'INVALID_TOKEN'});
  });

  it('throws ChatNetworkError when there is no server', async () => {
    const nowhere = new ChatClient({
      baseUrl: 'http://127.0.0.1:1',
      token: 't',
      retry: {attempts: 2, delayMs: 1},
    });
    const err = await nowhere.unread().catch(e => e);
    expect(err).to.be.instanceOf(ChatNetworkError);
    expect(err.message).to.match(/^GET \/unread failed/);
  });

  it('retries a send whose answer was lost: stored once, same clientMessageId', async () => {
    net.failOnce(isSend, 'after-answer');
    const message = await asAlice.sendMessage(conversationId, {body: 'once'});
    const sends = net.callsTo('POST', /\/messages$/);
    expect(sends).to.have.length(2);
    const ids = sends.map(c => JSON.parse(c.body!).clientMessageId);
    expect(ids[0]).to.equal(ids[1]);
    expect(message).to.containDeep({body: 'once', clientMessageId: ids[0]});
    expect(await storedMessages()).to.eql([ids[0]]);
  });

  it('retries a send that never reached the server', async () => {
    net.failOnce(isSend, 'before-sending');
    const message = await asAlice.sendMessage(conversationId, {body: 'b'});
    expect(net.callsTo('POST', /\/messages$/)).to.have.length(2);
    expect(await storedMessages()).to.eql([message.clientMessageId]);
  });

  it('retries reads and markRead on 502/503/504 answers', async () => {
    await asAlice.sendMessage(conversationId, {body: 'b'});
    net.failOnce(c => c.path.endsWith('/read'), 503);
    net.failOnce(c => c.path === '/unread', 502);
    expect(await asAlice.markRead(conversationId, 1)).to.containDeep({
      lastReadSeq: 1,
    });
    expect(await asAlice.unread()).to.eql({
      total: 0,
      conversations: [],
      truncated: false,
    });
    expect(net.callsTo('POST', /\/read$/)).to.have.length(2);
    expect(net.callsTo('GET', /^\/unread$/)).to.have.length(2);
  });

  it('gives up after the configured attempts', async () => {
    for (let i = 0; i < 3; i++) net.failOnce(isSend, 'after-answer');
    const err = await asAlice
      .sendMessage(conversationId, {body: 'lost', clientMessageId: 'c-1'})
      .catch(e => e);
    expect(err).to.be.instanceOf(ChatNetworkError);
    expect(net.callsTo('POST', /\/messages$/)).to.have.length(3);
    // each try reached the server; one message exists, with the caller's id
    expect(await storedMessages()).to.eql(['c-1']);
  });

  it('does not retry what is not idempotent, nor a 4xx', async () => {
    const sent = await asAlice.sendMessage(conversationId, {body: 'b'});
    net.failOnce(c => c.method === 'PATCH', 'before-sending');
    const edit = asAlice.editMessage(conversationId, sent.id, 'c');
    await expect(edit).to.be.rejectedWith(ChatNetworkError);
    const bad = asAlice.sendMessage(conversationId, {body: ''});
    await expect(bad).to.be.rejectedWith({status: 422});
    expect(net.callsTo('PATCH', /./)).to.have.length(1);
    expect(net.callsTo('POST', /\/messages$/)).to.have.length(2);
  });
});
