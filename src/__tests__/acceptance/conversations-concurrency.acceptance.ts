import {expect} from '@loopback/testlab';
import {
  givenGroup,
  givenRole,
  givenUser,
  givenUsers,
  TestUser,
  givenChatSuite,
} from '../fixtures';

describe('conversations and members under concurrent requests (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
  });

  const statuses = (results: {status: number}[]) =>
    results.map(r => r.status).sort();

  async function rolesIn(user: TestUser, conversationId: string) {
    const res = await testApp.client
      .get(`/conversations/${conversationId}/members`)
      .set('Authorization', user.auth)
      .expect(200);
    return Object.fromEntries(
      res.body.items.map((m: {userId: string; role: string}) => [
        m.userId,
        m.role,
      ]),
    );
  }

  it('creates one group for 8 concurrent requests with one externalId', async () => {
    const results = await Promise.all(
      Array.from({length: 8}, (_, i) =>
        testApp.client
          .post('/conversations')
          .set('Authorization', i % 2 ? alice.auth : bob.auth)
          .send({type: 'group', title: `T${i}`, externalId: 'case-1'}),
      ),
    );
    expect(statuses(results)).to.eql([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const res of results.filter(r => r.status === 409)) {
      expect(res.body.error.code).to.equal('EXTERNAL_ID_TAKEN');
    }
  });

  it('gives an externalId to one of two groups patched at once', async () => {
    const groups = await Promise.all([
      givenGroup(testApp.client, alice),
      givenGroup(testApp.client, alice),
    ]);
    const results = await Promise.all(
      groups.map(g =>
        testApp.client
          .patch(`/conversations/${g.id}`)
          .set('Authorization', alice.auth)
          .send({externalId: 'case-2'}),
      ),
    );
    expect(statuses(results)).to.eql([200, 409]);
    const found = await testApp.client
      .get('/conversations')
      .set('Authorization', alice.auth)
      .query({externalId: 'case-2'})
      .expect(200);
    expect(found.body.items).to.have.length(1);
  });

  it('adds a user once when added by several requests at once', async () => {
    const group = await givenGroup(testApp.client, alice, [bob]);
    await givenRole(testApp.client, alice, group.id, bob, 'admin');
    const carol = await givenUser();
    const results = await Promise.all(
      Array.from({length: 6}, (_, i) =>
        testApp.client
          .post(`/conversations/${group.id}/members`)
          .set('Authorization', i % 2 ? alice.auth : bob.auth)
          .send({userIds: [carol.id]}),
      ),
    );
    expect(statuses(results)).to.eql([200, 200, 200, 200, 200, 200]);
    expect(await rolesIn(alice, group.id)).to.eql({
      [alice.id]: 'owner',
      [bob.id]: 'admin',
      [carol.id]: 'member',
    });
  });

  it('keeps an owner when two owners step down at once', async () => {
    const group = await givenGroup(testApp.client, alice, [bob]);
    await givenRole(testApp.client, alice, group.id, bob, 'owner');
    const results = await Promise.all(
      [alice, bob].map(u =>
        testApp.client
          .patch(`/conversations/${group.id}/members/${u.id}`)
          .set('Authorization', u.auth)
          .send({role: 'member'}),
      ),
    );
    expect(statuses(results)).to.eql([200, 409]);
    const roles = Object.values(await rolesIn(alice, group.id));
    expect(roles.sort()).to.eql(['member', 'owner']);
  });

  it('hands ownership on when both owners leave at once', async () => {
    const carol = await givenUser();
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    await givenRole(testApp.client, alice, group.id, bob, 'owner');
    const results = await Promise.all(
      [alice, bob].map(u =>
        testApp.client
          .delete(`/conversations/${group.id}/members/${u.id}`)
          .set('Authorization', u.auth),
      ),
    );
    expect(statuses(results)).to.eql([204, 204]);
    expect(await rolesIn(carol, group.id)).to.eql({[carol.id]: 'owner'});
  });
});
