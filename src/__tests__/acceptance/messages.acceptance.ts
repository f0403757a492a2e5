import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {
  givenGroup,
  givenMessages,
  givenUser,
  TestUser,
  givenChatSuite,
  notFoundBody,
  expectInvalid,
  givenGroupOfTwo,
} from '../fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /conversations/{id}/messages', () => {
  const testApp = givenChatSuite();
  const client = testApp.client;
  let owner: TestUser, member: TestUser, conversationId: string;

  beforeEach(async () => {
    ({owner, member, conversationId} = await givenGroupOfTwo(client));
  });

  function send(user: TestUser, body: object, id = conversationId) {
    return client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', user.auth)
      .send(body);
  }

  it('answers 201 with the message', async () => {
    const before = Date.now();
    const res = await send(owner, {body: 'hello', clientMessageId: 'c-1'});
    expect(res.status).to.equal(201);
    expect(Object.keys(res.body).sort()).to.eql(
      [
        'attachments',
        'body',
        'clientMessageId',
        'conversationId',
        'createdAt',
        'deletedAt',
        'editedAt',
        'id',
        'parentMessageId',
        'senderId',
        'seq',
      ].sort(),
    );
    const {id, createdAt, ...rest} = res.body;
    expect(id).to.match(UUID);
    expect(rest).to.eql({
      conversationId,
      seq: 1,
      senderId: owner.id,
      body: 'hello',
      clientMessageId: 'c-1',
      parentMessageId: null,
      attachments: [],
      editedAt: null,
      deletedAt: null,
    });
    const at = Date.parse(createdAt);
    expect(at).to.be.within(before - 1000, Date.now() + 1000);
  });

  it('answers clientMessageId null when none is sent', async () => {
    const res = await send(owner, {body: 'hi'}).expect(201);
    expect(res.body.clientMessageId).to.be.null();
  });

  it('numbers messages from 1, one more per message', async () => {
    const sent = await givenMessages(client, owner, conversationId, 2);
    const third = await send(member, {body: 'third'}).expect(201);
    expect([...sent, third.body].map(m => m.seq)).to.eql([1, 2, 3]);
  });

  it('answers 200 with the first message for a repeated clientMessageId', async () => {
    const first = await send(member, {body: 'first', clientMessageId: 'k'});
    expect(first.status).to.equal(201);
    const again = await send(member, {body: 'changed', clientMessageId: 'k'});
    expect(again.status).to.equal(200);
    expect(again.body).to.eql(first.body);
    const history = await client
      .get(`/conversations/${conversationId}/messages`)
      .set('Authorization', member.auth)
      .expect(200);
    expect(history.body.items).to.have.length(1);
  });

  it('stores a new message for the same clientMessageId of another sender', async () => {
    const first = await send(member, {body: 'a', clientMessageId: 'k'});
    const other = await send(owner, {body: 'b', clientMessageId: 'k'});
    expect(other.status).to.equal(201);
    expect(other.body.id).to.not.equal(first.body.id);
    expect(other.body).to.containDeep({seq: 2, senderId: owner.id, body: 'b'});
  });

  it('accepts the parentMessageId of a message of the conversation', async () => {
    const [parent] = await givenMessages(client, owner, conversationId, 1);
    const res = await send(member, {body: 're', parentMessageId: parent.id});
    expect(res.status).to.equal(201);
    expect(res.body.parentMessageId).to.equal(parent.id);
  });

  it('rejects an unknown parentMessageId with 422', async () => {
    const res = await send(owner, {body: 're', parentMessageId: randomUUID()});
    expectInvalid(res, /parentMessageId/, 'INVALID_FIELD');
  });

  it('rejects a parentMessageId of another conversation with 422', async () => {
    const elsewhere = (await givenGroup(client, owner)).id;
    const [parent] = await givenMessages(client, owner, elsewhere, 1);
    const res = await send(owner, {body: 're', parentMessageId: parent.id});
    expectInvalid(res, /parentMessageId/, 'INVALID_FIELD');
  });

  it('rejects a parentMessageId that is not a uuid with 422', async () => {
    const res = await send(owner, {body: 're', parentMessageId: 'nope'});
    expectInvalid(res, /parentMessageId/, 'VALIDATION_FAILED');
  });

  for (const field of ['seq', 'senderId', 'id', 'createdAt', 'deletedAt']) {
    it(`rejects the server-owned field ${field} with 422`, async () => {
      const value = field === 'seq' ? 7 : randomUUID();
      const res = await send(owner, {body: 'x', [field]: value});
      expectInvalid(res, new RegExp(field), 'VALIDATION_FAILED');
    });
  }

  it('rejects an unknown field with 422', async () => {
    const res = await send(owner, {body: 'x', colour: 'red'});
    expectInvalid(res, /colour/, 'VALIDATION_FAILED');
  });

  it('rejects an empty body with 422', async () => {
    const res = await send(owner, {body: ''});
    expectInvalid(res, /body/, 'VALIDATION_FAILED');
  });

  it('rejects a missing body with 422', async () => {
    const res = await send(owner, {clientMessageId: 'c'});
    expectInvalid(res, /body/, 'VALIDATION_FAILED');
  });

  it('stores nothing when the request is rejected', async () => {
    await send(owner, {body: ''}).expect(422);
    await send(owner, {body: 're', parentMessageId: randomUUID()}).expect(422);
    const res = await send(owner, {body: 'ok'}).expect(201);
    expect(res.body.seq).to.equal(1);
  });

  it('answers 404 to a non-member', async () => {
    const stranger = await givenUser();
    const res = await send(stranger, {body: 'let me in'});
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });

  it('answers 404 for an unknown conversation', async () => {
    const res = await send(owner, {body: 'x'}, randomUUID());
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });
});

describe('POST /conversations/{id}/messages with maxMessageLength 10', () => {
  const testApp = givenChatSuite({limits: {maxMessageLength: 10}});
  const client = testApp.client;
  let owner: TestUser;
  let conversationId: string;

  beforeEach(async () => {
    owner = await givenUser();
    conversationId = (await givenGroup(client, owner)).id;
  });

  function send(body: string) {
    return client
      .post(`/conversations/${conversationId}/messages`)
      .set('Authorization', owner.auth)
      .send({body});
  }

  it('accepts a body of exactly the maximum length', async () => {
    await send('0123456789').expect(201);
  });

  it('rejects a longer body with 422 naming body', async () => {
    const res = await send('0123456789a');
    expectInvalid(res, /body/, 'INVALID_FIELD');
  });

  it('rejects a longer edit with 422 naming body', async () => {
    const sent = await send('short').expect(201);
    const res = await client
      .patch(`/conversations/${conversationId}/messages/${sent.body.id}`)
      .set('Authorization', owner.auth)
      .send({body: '0123456789a'});
    expectInvalid(res, /body/, 'INVALID_FIELD');
  });
});
