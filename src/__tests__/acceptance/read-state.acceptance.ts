import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {
  givenDirect,
  givenGroup,
  givenMessages,
  givenUser,
  givenUsers,
  TestUser,
  givenChatSuite,
  notFoundBody,
  givenGroupOfTwo,
} from '../fixtures';

describe('read state', () => {
  const testApp = givenChatSuite();
  const client = testApp.client;
  let owner: TestUser, reader: TestUser, conversationId: string;

  beforeEach(async () => {
    ({owner, member: reader, conversationId} = await givenGroupOfTwo(client));
  });

  function markRead(user: TestUser, body: unknown, id = conversationId) {
    return client
      .post(`/conversations/${id}/read`)
      .set('Authorization', user.auth)
      .send(body as object);
  }

  async function unreadIn(user: TestUser, id = conversationId) {
    const res = await client
      .get(`/conversations/${id}`)
      .set('Authorization', user.auth)
      .expect(200);
    return res.body.unreadCount;
  }

  async function unreadSummary(user: TestUser) {
    const res = await client
      .get('/unread')
      .set('Authorization', user.auth)
      .expect(200);
    return res.body;
  }

  describe('POST /conversations/{id}/read', () => {
    beforeEach(() => givenMessages(client, owner, conversationId, 5));

    it('answers 200 with the position and the unread count', async () => {
      const res = await markRead(reader, {seq: 3});
      expect(res.status).to.equal(200);
      expect(res.body).to.eql({lastReadSeq: 3, unreadCount: 2});
      expect(await unreadIn(reader)).to.equal(2);
    });

    it('leaves the position unchanged for a lower seq', async () => {
      await markRead(reader, {seq: 4}).expect(200);
      const res = await markRead(reader, {seq: 2}).expect(200);
      expect(res.body).to.eql({lastReadSeq: 4, unreadCount: 1});
      const zero = await markRead(reader, {seq: 0}).expect(200);
      expect(zero.body).to.eql({lastReadSeq: 4, unreadCount: 1});
      expect(await unreadIn(reader)).to.equal(1);
    });

    it('clamps a seq past the end to the latest', async () => {
      const res = await markRead(reader, {seq: 1000}).expect(200);
      expect(res.body).to.eql({lastReadSeq: 5, unreadCount: 0});
      await givenMessages(client, owner, conversationId, 2);
      expect(await unreadIn(reader)).to.equal(2);
    });

    it('shows the position in the member list', async () => {
      await markRead(reader, {seq: 2}).expect(200);
      const res = await client
        .get(`/conversations/${conversationId}/members`)
        .set('Authorization', owner.auth)
        .expect(200);
      const positions = Object.fromEntries(
        res.body.items.map((m: {userId: string; lastReadSeq: number}) => [
          m.userId,
          m.lastReadSeq,
        ]),
      );
      expect(positions).to.eql({[owner.id]: 5, [reader.id]: 2});
    });

    it('answers 404 to a non-member', async () => {
      const stranger = await givenUser();
      const res = await markRead(stranger, {seq: 1});
      expect(res.status).to.equal(404);
      expect(res.body).to.eql(notFoundBody('Conversation'));
    });

    const invalid: [string, unknown, RegExp][] = [
      ['a negative seq', {seq: -1}, /seq/],
      ['a string seq', {seq: 'x'}, /seq/],
      ['a fractional seq', {seq: 1.5}, /seq/],
      ['a missing seq', {}, /seq/],
      ['an extra property', {seq: 1, userId: 'u'}, /userId/],
      ['a body that is not an object', [1], /must be object/],
    ];
    for (const [what, body, field] of invalid) {
      it(`rejects ${what} with 422`, async () => {
        const res = await markRead(reader, body);
        expect(res.status).to.equal(422);
        expect(res.body.error.statusCode).to.equal(422);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.message).to.match(field);
        expect(await unreadIn(reader)).to.equal(5);
      });
    }
  });

  describe('unread counts', () => {
    it('are latest seq minus the position, tombstones included', async () => {
      const sent = await givenMessages(client, owner, conversationId, 4);
      await markRead(reader, {seq: 1}).expect(200);
      await client
        .delete(`/conversations/${conversationId}/messages/${sent[3].id}`)
        .set('Authorization', owner.auth)
        .expect(204);
      expect(await unreadIn(reader)).to.equal(3);
      expect(await unreadSummary(reader)).to.eql({
        total: 3,
        conversations: [{conversationId, unreadCount: 3}],
        truncated: false,
      });
    });

    it("never count the sender's own messages", async () => {
      await givenMessages(client, owner, conversationId, 3);
      expect(await unreadIn(owner)).to.equal(0);
      expect(await unreadIn(reader)).to.equal(3);
      await markRead(reader, {seq: 2}).expect(200);
      await givenMessages(client, reader, conversationId, 1);
      expect(await unreadIn(reader)).to.equal(0);
      expect(await unreadIn(owner)).to.equal(1);
      expect(await unreadSummary(reader)).to.eql({
        total: 0,
        conversations: [],
        truncated: false,
      });
      expect(await unreadSummary(owner)).to.eql({
        total: 1,
        conversations: [{conversationId, unreadCount: 1}],
        truncated: false,
      });
    });

    it('GET /unread is exact over several conversations, non-zero only', async () => {
      const friend = await givenUser();
      const direct = (await givenDirect(client, friend, reader)).id;
      const quiet = (await givenGroup(client, owner, [reader])).id;
      const empty = (await givenGroup(client, owner, [reader])).id;
      await givenMessages(client, owner, conversationId, 4);
      await givenMessages(client, friend, direct, 2);
      await givenMessages(client, reader, direct, 1);
      await givenMessages(client, friend, direct, 3);
      await givenMessages(client, owner, quiet, 2);
      await markRead(reader, {seq: 1}, conversationId).expect(200);
      await markRead(reader, {seq: 2}, quiet).expect(200);

      const summary = await unreadSummary(reader);
      expect(summary.total).to.equal(6);
      expect(sortById(summary.conversations)).to.eql(
        sortById([
          {conversationId, unreadCount: 3},
          {conversationId: direct, unreadCount: 3},
        ]),
      );
      expect(await unreadIn(reader, direct)).to.equal(3);
      expect(await unreadIn(reader, quiet)).to.equal(0);
      expect(await unreadIn(reader, empty)).to.equal(0);
      // the friend sent last: nothing unread for them
      expect(await unreadSummary(friend)).to.eql({
        total: 0,
        conversations: [],
        truncated: false,
      });
    });

    it('GET /unread answers zero for a user without conversations', async () => {
      const loner = await givenUser();
      expect(await unreadSummary(loner)).to.eql({
        total: 0,
        conversations: [],
        truncated: false,
      });
    });
  });

  describe('GET /conversations/{id}/messages/{messageId}/receipts', () => {
    let second: TestUser;
    let third: TestUser;
    let messages: {id: string}[];

    beforeEach(async () => {
      [second, third] = await givenUsers(2);
      await client
        .post(`/conversations/${conversationId}/members`)
        .set('Authorization', owner.auth)
        .send({userIds: [second.id, third.id]})
        .expect(200);
      messages = await givenMessages(client, owner, conversationId, 3);
      await markRead(reader, {seq: 3}).expect(200);
      await markRead(second, {seq: 2}).expect(200);
    });

    function receipts(messageId: string, user = owner) {
      return client
        .get(`/conversations/${conversationId}/messages/${messageId}/receipts`)
        .set('Authorization', user.auth);
    }

    it('lists the members at or past the message, author excluded', async () => {
      const res = await receipts(messages[1].id).expect(200);
      expect(Object.keys(res.body)).to.eql(['items']);
      expect(sortByUser(res.body.items)).to.eql(
        sortByUser([
          {userId: reader.id, lastReadSeq: 3},
          {userId: second.id, lastReadSeq: 2},
        ]),
      );
      const last = await receipts(messages[2].id, third).expect(200);
      expect(last.body.items).to.eql([{userId: reader.id, lastReadSeq: 3}]);
    });

    it('excludes the author of a message the others have read', async () => {
      const [own] = await givenMessages(client, reader, conversationId, 1);
      const none = await receipts(own.id, reader).expect(200);
      expect(none.body.items).to.eql([]);
      await markRead(owner, {seq: 4}).expect(200);
      const one = await receipts(own.id, reader).expect(200);
      expect(one.body.items).to.eql([{userId: owner.id, lastReadSeq: 4}]);
    });

    it('answers 404 to a non-member', async () => {
      const stranger = await givenUser();
      const res = await receipts(messages[0].id, stranger);
      expect(res.status).to.equal(404);
      expect(res.body).to.eql(notFoundBody('Conversation'));
    });

    it('answers 404 for an unknown message', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const res = await receipts(id);
        expect(res.status).to.equal(404);
        expect(res.body).to.eql(notFoundBody('Message'));
      }
    });
  });
});

function sortById<T extends {conversationId: string}>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    a.conversationId.localeCompare(b.conversationId),
  );
}

function sortByUser<T extends {userId: string}>(items: T[]): T[] {
  return [...items].sort((a, b) => a.userId.localeCompare(b.userId));
}
