import {expect} from '@loopback/testlab';
import {
  bearer,
  givenDirect,
  givenGroup,
  givenMessages,
  givenUser,
  givenUsers,
  TestUser,
  givenChatSuite,
  notFoundBody,
} from '../fixtures';

describe('GET /conversations (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
  });

  function list(user: TestUser, query: Record<string, string | number> = {}) {
    return testApp.client
      .get('/conversations')
      .set('Authorization', user.auth)
      .query(query);
  }

  const ids = (items: {id: string}[]) => items.map(c => c.id);

  it("lists only the caller's conversations", async () => {
    const carol = await givenUser();
    const mine = await givenGroup(testApp.client, alice, [bob]);
    const direct = await givenDirect(testApp.client, alice, carol);
    await givenGroup(testApp.client, bob, [carol]);
    const res = await list(alice).expect(200);
    expect(ids(res.body.items).sort()).to.eql([mine.id, direct.id].sort());
    expect(res.body.nextCursor).to.be.null();
  });

  it('answers an empty page for a user without conversations', async () => {
    await givenGroup(testApp.client, alice, [bob]);
    const carol = await givenUser();
    const res = await list(carol).expect(200);
    expect(res.body).to.eql({items: [], nextCursor: null});
  });

  it('orders by newest activity: a new message moves a conversation up', async () => {
    const first = await givenGroup(testApp.client, alice, [bob]);
    const second = await givenGroup(testApp.client, alice, [bob]);
    const third = await givenGroup(testApp.client, alice, [bob]);
    let res = await list(alice).expect(200);
    expect(ids(res.body.items)).to.eql([third.id, second.id, first.id]);

    await givenMessages(testApp.client, bob, first.id, 1);
    res = await list(alice).expect(200);
    expect(ids(res.body.items)).to.eql([first.id, third.id, second.id]);
  });

  it('carries last message, unread count and members', async () => {
    const group = await givenGroup(testApp.client, alice, [bob]);
    const sent = await givenMessages(testApp.client, bob, group.id, 2);
    const res = await list(alice).expect(200);
    const [item] = res.body.items;
    expect(item.id).to.equal(group.id);
    expect(item.unreadCount).to.equal(2);
    expect(item.lastMessage).to.containDeep({
      id: sent[1].id,
      seq: 2,
      senderId: bob.id,
      body: 'message 2',
    });
    expect(item.lastMessageAt).to.equal(sent[1].createdAt);
    expect(item.members).to.have.length(2);
    expect(
      item.members.find((m: {userId: string}) => m.userId === bob.id),
    ).to.containDeep({role: 'member', lastReadSeq: 2});

    const forBob = await list(bob).expect(200);
    expect(forBob.body.items[0].unreadCount).to.equal(0);
  });

  describe('paging', () => {
    async function givenConversations(n: number) {
      const created = [];
      for (let i = 0; i < n; i++) {
        created.push(await givenGroup(testApp.client, alice, [bob]));
      }
      return created.map(c => c.id).reverse();
    }

    it('pages with limit and cursor: no overlap, no gap', async () => {
      const expected = await givenConversations(7);
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = {limit: 3};
        if (cursor) query.cursor = cursor;
        const res = await list(alice, query).expect(200);
        sizes.push(res.body.items.length);
        seen.push(...ids(res.body.items));
        cursor = res.body.nextCursor;
        if (cursor !== null) expect(cursor).to.be.a.String();
      } while (cursor !== null && sizes.length < 10);
      expect(sizes).to.eql([3, 3, 1]);
      expect(seen).to.eql(expected);
    });

    it('answers nextCursor null when the last page is exactly full', async () => {
      const expected = await givenConversations(6);
      const page1 = await list(alice, {limit: 3}).expect(200);
      const page2 = await list(alice, {
        limit: 3,
        cursor: page1.body.nextCursor,
      }).expect(200);
      expect(ids(page2.body.items)).to.eql(expected.slice(3));
      expect(page2.body.nextCursor).to.be.null();
    });

    it('keeps its place when a message moves an earlier item up', async () => {
      const expected = await givenConversations(5);
      const page1 = await list(alice, {limit: 2}).expect(200);
      expect(ids(page1.body.items)).to.eql(expected.slice(0, 2));
      await givenMessages(testApp.client, bob, expected[0], 1);
      const page2 = await list(alice, {
        limit: 2,
        cursor: page1.body.nextCursor,
      }).expect(200);
      expect(ids(page2.body.items)).to.eql(expected.slice(2, 4));
    });

    const uuid = '00000000-0000-4000-8000-000000000000';
    const encode = (value: unknown) =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'garbage',
      encode([]),
      encode([1, 2]),
      encode(['not a date', uuid]),
      encode([0, uuid]),
      encode(['-271821-04-20T00:00:00.000Z', uuid]),
      encode(['+275760-09-13T00:00:00.000Z', uuid]),
    ]) {
      it(`rejects the cursor ${cursor} (422 naming cursor)`, async () => {
        const res = await list(alice, {cursor}).expect(422);
        expect(res.body.error.statusCode).to.equal(422);
        expect(res.body.error.code).to.equal('INVALID_FIELD');
        expect(res.body.error.message).to.match(/cursor/);
      });
    }

    for (const limit of ['0', '201', 'abc', '-1', '2.5']) {
      it(`rejects limit=${limit} (422 naming limit)`, async () => {
        const res = await list(alice, {limit}).expect(422);
        expect(res.body.error.statusCode).to.equal(422);
        expect(res.body.error.code).to.be.oneOf(
          'INVALID_FIELD',
          'INVALID_PARAMETER_VALUE',
        );
        expect(res.body.error.message).to.match(/limit/);
      });
    }

    it('accepts limit 200', async () => {
      await givenConversations(2);
      const res = await list(alice, {limit: 200}).expect(200);
      expect(res.body.items).to.have.length(2);
    });
  });

  describe('externalId filter', () => {
    it("matches exactly, among the caller's conversations only", async () => {
      const carol = await givenUser();
      const case1 = await givenGroup(testApp.client, alice, [bob], {
        externalId: 'case-1',
      });
      await givenGroup(testApp.client, alice, [], {externalId: 'case-10'});
      await givenGroup(testApp.client, carol, [], {externalId: 'case-3'});

      let res = await list(alice, {externalId: 'case-1'}).expect(200);
      expect(ids(res.body.items)).to.eql([case1.id]);
      res = await list(bob, {externalId: 'case-1'}).expect(200);
      expect(ids(res.body.items)).to.eql([case1.id]);
      res = await list(alice, {externalId: 'case'}).expect(200);
      expect(res.body.items).to.eql([]);
      res = await list(alice, {externalId: 'case-3'}).expect(200);
      expect(res.body).to.eql({items: [], nextCursor: null});
    });

    it('rejects an externalId the database cannot store (422)', async () => {
      const res = await list(alice, {externalId: 'a\u0000b'}).expect(422);
      expect(res.body.error.code).to.equal('INVALID_FIELD');
      expect(res.body.error.message).to.match(/externalId/);
    });
  });
});

describe('GET /conversations/{id} (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
  });

  function get(user: TestUser, id: string) {
    return testApp.client
      .get(`/conversations/${id}`)
      .set('Authorization', user.auth);
  }

  it('answers the conversation to a member', async () => {
    const group = await givenGroup(testApp.client, alice, [bob], {
      externalId: 'case-9',
    });
    await givenMessages(testApp.client, alice, group.id, 1);
    const res = await get(bob, group.id).expect(200);
    expect(res.body).to.containDeep({
      id: group.id,
      type: 'group',
      title: 'Team',
      externalId: 'case-9',
      unreadCount: 1,
      lastMessage: {seq: 1, body: 'message 1', senderId: alice.id},
    });
    expect(res.body.createdAt).to.equal(group.createdAt);
    expect(res.body.members).to.have.length(2);
  });

  it('answers 404 to a non-member', async () => {
    const group = await givenGroup(testApp.client, alice, [bob]);
    const carol = await givenUser();
    const res = await get(carol, group.id).expect(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });

  it('answers 404 for an id that is not a UUID', async () => {
    const res = await get(alice, 'not-a-uuid').expect(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });

  it('answers 404 for an unknown UUID', async () => {
    const res = await get(alice, '00000000-0000-4000-8000-000000000000').expect(
      404,
    );
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });

  it('answers 404 to the same user id in another tenant', async () => {
    const group = await givenGroup(testApp.client, alice, [bob]);
    const elsewhere = {
      id: alice.id,
      auth: await bearer(alice.id, {tenantId: 'other-tenant'}),
    };
    const res = await get(elsewhere, group.id).expect(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
    const listed = await testApp.client
      .get('/conversations')
      .set('Authorization', elsewhere.auth)
      .expect(200);
    expect(listed.body.items).to.eql([]);
  });
});
