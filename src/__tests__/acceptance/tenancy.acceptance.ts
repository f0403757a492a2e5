import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {
  bearer,
  givenGroup,
  givenMessages,
  TestUser,
  givenChatSuite,
  notFoundBody,
} from '../fixtures';

/** One user id as seen under tenant A, tenant B and no tenant. */
interface Scoped {
  a: TestUser;
  b: TestUser;
  none: TestUser;
}

async function givenScopedUser(): Promise<Scoped> {
  const id = randomUUID();
  return {
    a: {id, auth: await bearer(id, {tenantId: 'tenant-a'})},
    b: {id, auth: await bearer(id, {tenantId: 'tenant-b'})},
    none: {id, auth: await bearer(id)},
  };
}

describe('Tenant isolation (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: Scoped;
  let bob: Scoped;
  beforeEach(async () => {
    alice = await givenScopedUser();
    bob = await givenScopedUser();
  });

  describe('a group of tenant A', () => {
    let group: {id: string};
    let messageId: string;

    beforeEach(async () => {
      group = await givenGroup(testApp.client, alice.a, [bob.a], {
        externalId: 'case-1',
      });
      [{id: messageId}] = await givenMessages(
        testApp.client,
        bob.a,
        group.id,
        1,
      );
    });

    const routes = () => {
      const c = `/conversations/${group.id}`;
      const m = `${c}/messages/${messageId}`;
      return [
        {method: 'get', path: c},
        {method: 'patch', path: c, body: {title: 'Taken over'}},
        {method: 'get', path: `${c}/members`},
        {method: 'post', path: `${c}/members`, body: {userIds: [randomUUID()]}},
        {
          method: 'patch',
          path: `${c}/members/${bob.a.id}`,
          body: {role: 'admin'},
        },
        {method: 'delete', path: `${c}/members/${bob.a.id}`},
        {method: 'get', path: `${c}/messages`},
        {method: 'post', path: `${c}/messages`, body: {body: 'intruder'}},
        {method: 'get', path: m},
        {method: 'patch', path: m, body: {body: 'edited'}},
        {method: 'delete', path: m},
        {method: 'post', path: `${c}/read`, body: {seq: 1}},
        {method: 'get', path: `${m}/receipts`},
      ] as const;
    };

    for (const scope of ['b', 'none'] as const) {
      it(`is 404 on every conversation route for the same users under ${scope === 'b' ? 'tenant B' : 'no tenant'}`, async () => {
        for (const user of [alice[scope], bob[scope]]) {
          for (const r of routes()) {
            const req = testApp.client[r.method](r.path).set(
              'Authorization',
              user.auth,
            );
            const res = await ('body' in r ? req.send(r.body) : req);
            expect({
              route: `${r.method} ${r.path}`,
              status: res.status,
              body: res.body,
            }).to.eql({
              route: `${r.method} ${r.path}`,
              status: 404,
              body: notFoundBody('Conversation'),
            });
          }
        }
        // nothing changed in tenant A
        const seen = await testApp.client
          .get(`/conversations/${group.id}`)
          .set('Authorization', alice.a.auth)
          .expect(200);
        expect(seen.body).to.containDeep({
          title: 'Team',
          externalId: 'case-1',
          unreadCount: 1,
        });
        expect(seen.body.members).to.have.length(2);
        const history = await testApp.client
          .get(`/conversations/${group.id}/messages`)
          .set('Authorization', alice.a.auth)
          .expect(200);
        expect(history.body.items).to.containDeep([
          {id: messageId, body: 'message 1', deletedAt: null},
        ]);
        expect(history.body.items).to.have.length(1);
      });

      it(`lists nothing of tenant A under ${scope === 'b' ? 'tenant B' : 'no tenant'}`, async () => {
        for (const user of [alice[scope], bob[scope]]) {
          const list = await testApp.client
            .get('/conversations')
            .set('Authorization', user.auth)
            .expect(200);
          expect(list.body).to.eql({items: [], nextCursor: null});
          const byExternalId = await testApp.client
            .get('/conversations')
            .query({externalId: 'case-1'})
            .set('Authorization', user.auth)
            .expect(200);
          expect(byExternalId.body).to.eql({items: [], nextCursor: null});
          const unread = await testApp.client
            .get('/unread')
            .set('Authorization', user.auth)
            .expect(200);
          expect(unread.body).to.eql({
            total: 0,
            conversations: [],
            truncated: false,
          });
        }
      });
    }

    it('is listed, with its unread count, in tenant A', async () => {
      const list = await testApp.client
        .get('/conversations')
        .set('Authorization', alice.a.auth)
        .expect(200);
      expect(list.body.items.map((c: {id: string}) => c.id)).to.eql([group.id]);
      const unread = await testApp.client
        .get('/unread')
        .set('Authorization', alice.a.auth)
        .expect(200);
      expect(unread.body).to.eql({
        total: 1,
        conversations: [{conversationId: group.id, unreadCount: 1}],
        truncated: false,
      });
    });

    it('a member added in tenant A is a member there only', async () => {
      const carol = await givenScopedUser();
      await testApp.client
        .post(`/conversations/${group.id}/members`)
        .set('Authorization', alice.a.auth)
        .send({userIds: [carol.a.id]})
        .expect(200);
      await testApp.client
        .get(`/conversations/${group.id}`)
        .set('Authorization', carol.a.auth)
        .expect(200);
      for (const auth of [carol.b.auth, carol.none.auth]) {
        const res = await testApp.client
          .get(`/conversations/${group.id}/messages`)
          .set('Authorization', auth)
          .expect(404);
        expect(res.body).to.eql(notFoundBody('Conversation'));
      }
    });
  });

  it('keeps a conversation without tenant away from every tenant', async () => {
    const group = await givenGroup(testApp.client, alice.none, [bob.none]);
    for (const user of [alice.a, bob.b]) {
      const res = await testApp.client
        .get(`/conversations/${group.id}`)
        .set('Authorization', user.auth)
        .expect(404);
      expect(res.body).to.eql(notFoundBody('Conversation'));
      const list = await testApp.client
        .get('/conversations')
        .set('Authorization', user.auth)
        .expect(200);
      expect(list.body.items).to.eql([]);
    }
  });

  it('gives the same pair of users one direct conversation per tenant', async () => {
    const ids: string[] = [];
    for (const scope of ['a', 'b', 'none'] as const) {
      const first = await testApp.client
        .post('/conversations')
        .set('Authorization', alice[scope].auth)
        .send({type: 'direct', memberIds: [bob.a.id]})
        .expect(201);
      const again = await testApp.client
        .post('/conversations')
        .set('Authorization', bob[scope].auth)
        .send({type: 'direct', memberIds: [alice.a.id]})
        .expect(200);
      expect(again.body.id).to.equal(first.body.id);
      ids.push(first.body.id);
    }
    expect(new Set(ids).size).to.equal(3);
    const listB = await testApp.client
      .get('/conversations')
      .set('Authorization', alice.b.auth)
      .expect(200);
    expect(listB.body.items.map((c: {id: string}) => c.id)).to.eql([ids[1]]);
  });

  it('keeps externalId unique per tenant only', async () => {
    const inA = await givenGroup(testApp.client, alice.a, [], {
      externalId: 'case-7',
    });
    const inB = await givenGroup(testApp.client, alice.b, [], {
      externalId: 'case-7',
    });
    const inNone = await givenGroup(testApp.client, alice.none, [], {
      externalId: 'case-7',
    });
    expect(new Set([inA.id, inB.id, inNone.id]).size).to.equal(3);

    const taken = await testApp.client
      .post('/conversations')
      .set('Authorization', bob.a.auth)
      .send({type: 'group', title: 'Dup', externalId: 'case-7'})
      .expect(409);
    expect(taken.body).to.eql({
      error: {
        statusCode: 409,
        name: 'ConflictError',
        message:
          'Another conversation of this tenant already has that externalId.',
        code: 'EXTERNAL_ID_TAKEN',
      },
    });

    // a PATCH may take an externalId used by another tenant, not its own
    const other = await givenGroup(testApp.client, bob.b, [], {
      externalId: 'case-8',
    });
    await testApp.client
      .patch(`/conversations/${other.id}`)
      .set('Authorization', bob.b.auth)
      .send({externalId: 'case-7'})
      .expect(409);
    const moved = await testApp.client
      .patch(`/conversations/${inA.id}`)
      .set('Authorization', alice.a.auth)
      .send({externalId: 'case-8'})
      .expect(200);
    expect(moved.body.externalId).to.equal('case-8');

    const found = await testApp.client
      .get('/conversations')
      .query({externalId: 'case-7'})
      .set('Authorization', alice.b.auth)
      .expect(200);
    expect(found.body.items.map((c: {id: string}) => c.id)).to.eql([inB.id]);
  });
});
