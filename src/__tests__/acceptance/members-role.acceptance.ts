import {expect} from '@loopback/testlab';
import {
  givenDirect,
  givenUser,
  TestUser,
  givenChatSuite,
  givenTeam,
  forbiddenBody,
  notFoundBody,
} from '../fixtures';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('PATCH /conversations/{id}/members/{userId} (acceptance)', () => {
  const testApp = givenChatSuite();
  let owner: TestUser, admin: TestUser, member: TestUser;
  let group: {id: string};
  beforeEach(async () => {
    ({owner, admin, member, group} = await givenTeam(testApp.client));
  });

  function changeRole(user: TestUser, userId: string, body: object) {
    return testApp.client
      .patch(`/conversations/${group.id}/members/${userId}`)
      .set('Authorization', user.auth)
      .send(body);
  }

  async function roleOf(userId: string) {
    const res = await testApp.client
      .get(`/conversations/${group.id}/members`)
      .set('Authorization', owner.auth)
      .expect(200);
    return res.body.items.find((m: {userId: string}) => m.userId === userId)
      ?.role;
  }

  it('lets the owner change a role: 200 with the member', async () => {
    const res = await changeRole(owner, member.id, {role: 'admin'}).expect(200);
    expect(res.body).to.containDeep({
      userId: member.id,
      role: 'admin',
      lastReadSeq: 0,
    });
    expect(res.body.joinedAt).to.match(ISO_DATE);
    expect(await roleOf(member.id)).to.equal('admin');
  });

  it('answers the member view the member list carries (online, lastSeenAt)', async () => {
    const res = await changeRole(owner, member.id, {role: 'admin'}).expect(200);
    const list = await testApp.client
      .get(`/conversations/${group.id}/members`)
      .set('Authorization', owner.auth)
      .expect(200);
    const listed = list.body.items.find(
      (m: {userId: string}) => m.userId === member.id,
    );
    expect(res.body).to.eql(listed);
    expect(res.body).to.containDeep({online: false, lastSeenAt: null});
  });

  it('forbids an admin (403)', async () => {
    const res = await changeRole(admin, member.id, {role: 'admin'}).expect(403);
    expect(res.body).to.eql(
      forbiddenBody('Only an owner of the group may do this.'),
    );
    expect(await roleOf(member.id)).to.equal('member');
  });

  it('forbids a plain member, even for their own role (403)', async () => {
    const res = await changeRole(member, member.id, {role: 'owner'}).expect(
      403,
    );
    expect(res.body.error).to.containDeep({
      statusCode: 403,
      code: 'NOT_ALLOWED',
    });
    expect(await roleOf(member.id)).to.equal('member');
  });

  it('answers 404 MEMBER_NOT_FOUND for a non-member', async () => {
    const stranger = await givenUser();
    for (const userId of [stranger.id, encodeURIComponent('a\u0000b')]) {
      const res = await changeRole(owner, userId, {role: 'admin'}).expect(404);
      expect(res.body).to.eql(notFoundBody('Member'));
    }
  });

  it('refuses to demote the last owner (409 LAST_OWNER)', async () => {
    const res = await changeRole(owner, owner.id, {role: 'admin'}).expect(409);
    expect(res.body).to.eql({
      error: {
        statusCode: 409,
        name: 'ConflictError',
        message: 'A group needs an owner: promote another member first.',
        code: 'LAST_OWNER',
      },
    });
    expect(await roleOf(owner.id)).to.equal('owner');
  });

  it('lets an owner step down once there is another owner', async () => {
    await changeRole(owner, admin.id, {role: 'owner'}).expect(200);
    const res = await changeRole(owner, owner.id, {role: 'member'}).expect(200);
    expect(res.body.role).to.equal('member');
  });

  it('refuses roles in a direct conversation (422)', async () => {
    const direct = await givenDirect(testApp.client, owner, member);
    const res = await testApp.client
      .patch(`/conversations/${direct.id}/members/${member.id}`)
      .set('Authorization', owner.auth)
      .send({role: 'admin'})
      .expect(422);
    expect(res.body).to.eql({
      error: {
        statusCode: 422,
        name: 'UnprocessableEntityError',
        message: 'A direct conversation has exactly two members and no roles.',
        code: 'DIRECT_CONVERSATION',
      },
    });
  });

  for (const body of [{role: 'king'}, {}, {role: 'admin', userId: 'x'}]) {
    it(`rejects ${JSON.stringify(body)} (422)`, async () => {
      const res = await changeRole(owner, member.id, body).expect(422);
      expect(res.body.error.statusCode).to.equal(422);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.message).to.match(
        'userId' in body ? /userId/ : /role/,
      );
    });
  }
});
