import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {
  bearer,
  givenDirect,
  givenGroup,
  givenRole,
  givenUser,
  TestUser,
  givenChatSuite,
  givenTeam,
  forbiddenBody,
  notFoundBody,
} from '../fixtures';

const ONLY_MANAGERS = forbiddenBody(
  'Only an owner or admin of the group may do this.',
);
const ONLY_PLAIN_MEMBERS = forbiddenBody(
  'An admin may only remove plain members.',
);

/** A user whose id sorts by `prefix`, so ties on join time cannot decide. */
async function givenUserSorted(prefix: string): Promise<TestUser> {
  const id = `${prefix}-${randomUUID()}`;
  return {id, auth: await bearer(id)};
}

describe('DELETE /conversations/{id}/members/{userId} (acceptance)', () => {
  const testApp = givenChatSuite();
  let owner: TestUser, admin: TestUser, member: TestUser;
  let group: {id: string};
  beforeEach(async () => {
    ({owner, admin, member, group} = await givenTeam(testApp.client));
  });

  function remove(user: TestUser, userId: string, id = group.id) {
    return testApp.client
      .delete(`/conversations/${id}/members/${encodeURIComponent(userId)}`)
      .set('Authorization', user.auth);
  }

  async function rolesSeenBy(user: TestUser) {
    const res = await testApp.client
      .get(`/conversations/${group.id}/members`)
      .set('Authorization', user.auth)
      .expect(200);
    return Object.fromEntries(
      res.body.items.map((m: {userId: string; role: string}) => [
        m.userId,
        m.role,
      ]),
    );
  }

  async function addLater(users: TestUser[]) {
    for (const user of users) {
      await testApp.client
        .post(`/conversations/${group.id}/members`)
        .set('Authorization', owner.auth)
        .send({userIds: [user.id]})
        .expect(200);
    }
  }

  it('lets the owner remove a member (204); the removed user loses access', async () => {
    const res = await remove(owner, member.id).expect(204);
    expect(res.text).to.equal('');
    expect(await rolesSeenBy(owner)).to.eql({
      [owner.id]: 'owner',
      [admin.id]: 'admin',
    });
    const gone = await testApp.client
      .get(`/conversations/${group.id}`)
      .set('Authorization', member.auth)
      .expect(404);
    expect(gone.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
    const list = await testApp.client
      .get('/conversations')
      .set('Authorization', member.auth)
      .expect(200);
    expect(list.body.items).to.eql([]);
  });

  it('lets the owner remove an admin', async () => {
    await remove(owner, admin.id).expect(204);
    expect(await rolesSeenBy(owner)).to.not.have.property(admin.id);
  });

  it('lets an admin remove a plain member (204)', async () => {
    await remove(admin, member.id).expect(204);
    expect(await rolesSeenBy(owner)).to.not.have.property(member.id);
  });

  it('forbids an admin to remove the owner (403)', async () => {
    const res = await remove(admin, owner.id).expect(403);
    expect(res.body).to.eql(ONLY_PLAIN_MEMBERS);
    expect(await rolesSeenBy(owner)).to.have.property(owner.id, 'owner');
  });

  it('forbids an admin to remove another admin (403)', async () => {
    const other = await givenUser();
    await addLater([other]);
    await givenRole(testApp.client, owner, group.id, other, 'admin');
    const res = await remove(admin, other.id).expect(403);
    expect(res.body).to.eql(ONLY_PLAIN_MEMBERS);
    expect(await rolesSeenBy(owner)).to.have.property(other.id, 'admin');
  });

  it('forbids a plain member to remove someone else (403)', async () => {
    const other = await givenUser();
    await addLater([other]);
    const res = await remove(member, other.id).expect(403);
    expect(res.body).to.eql(ONLY_MANAGERS);
    expect(await rolesSeenBy(owner)).to.have.property(other.id, 'member');
  });

  it('lets anyone leave (204)', async () => {
    await remove(member, member.id).expect(204);
    await remove(admin, admin.id).expect(204);
    expect(await rolesSeenBy(owner)).to.eql({[owner.id]: 'owner'});
  });

  it('hands ownership to the longest-standing admin when the last owner leaves', async () => {
    const firstAdmin = await givenUserSorted('z');
    const secondAdmin = await givenUserSorted('a');
    await addLater([firstAdmin, secondAdmin]);
    await remove(owner, admin.id).expect(204);
    await givenRole(testApp.client, owner, group.id, secondAdmin, 'admin');
    await givenRole(testApp.client, owner, group.id, firstAdmin, 'admin');

    await remove(owner, owner.id).expect(204);
    expect(await rolesSeenBy(member)).to.eql({
      [member.id]: 'member',
      [firstAdmin.id]: 'owner',
      [secondAdmin.id]: 'admin',
    });
  });

  it('prefers an admin to a longer-standing member', async () => {
    const laterAdmin = await givenUser();
    await addLater([laterAdmin]);
    await remove(owner, admin.id).expect(204);
    await givenRole(testApp.client, owner, group.id, laterAdmin, 'admin');
    await remove(owner, owner.id).expect(204);
    expect(await rolesSeenBy(member)).to.eql({
      [member.id]: 'member',
      [laterAdmin.id]: 'owner',
    });
  });

  it('hands ownership to the longest-standing member when there is no admin', async () => {
    const first = await givenUserSorted('z');
    const second = await givenUserSorted('a');
    await remove(owner, admin.id).expect(204);
    await remove(owner, member.id).expect(204);
    await addLater([first, second]);

    await remove(owner, owner.id).expect(204);
    expect(await rolesSeenBy(second)).to.eql({
      [first.id]: 'owner',
      [second.id]: 'member',
    });
  });

  it('keeps the roles when another owner remains', async () => {
    await givenRole(testApp.client, owner, group.id, member, 'owner');
    await remove(owner, owner.id).expect(204);
    expect(await rolesSeenBy(member)).to.eql({
      [member.id]: 'owner',
      [admin.id]: 'admin',
    });
  });

  it('lets the last member leave', async () => {
    const solo = await givenGroup(testApp.client, owner, []);
    await remove(owner, owner.id, solo.id).expect(204);
    await testApp.client
      .get(`/conversations/${solo.id}`)
      .set('Authorization', owner.auth)
      .expect(404);
  });

  it('refuses to leave a direct conversation (422)', async () => {
    const direct = await givenDirect(testApp.client, owner, member);
    const res = await remove(member, member.id, direct.id).expect(422);
    expect(res.body).to.eql({
      error: {
        statusCode: 422,
        name: 'UnprocessableEntityError',
        message: 'A direct conversation has exactly two members and no roles.',
        code: 'DIRECT_CONVERSATION',
      },
    });
    const other = await remove(owner, member.id, direct.id).expect(422);
    expect(other.body.error.code).to.equal('DIRECT_CONVERSATION');
  });

  it('answers 404 MEMBER_NOT_FOUND for a non-member', async () => {
    const stranger = await givenUser();
    for (const userId of [stranger.id, 'not\u0000stored']) {
      const res = await remove(owner, userId).expect(404);
      expect(res.body).to.eql(notFoundBody('Member'));
    }
  });

  it('answers 404 CONVERSATION_NOT_FOUND to a caller who is not a member', async () => {
    const stranger = await givenUser();
    const res = await remove(stranger, member.id).expect(404);
    expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
    const self = await remove(stranger, stranger.id).expect(404);
    expect(self.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
  });
});
