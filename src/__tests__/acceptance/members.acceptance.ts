import {expect} from '@loopback/testlab';
import {
  givenDirect,
  givenMessages,
  givenUser,
  givenUsers,
  TestUser,
  givenChatSuite,
  givenTeam,
  forbiddenBody,
} from '../fixtures';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DIRECT_CONVERSATION = {
  error: {
    statusCode: 422,
    name: 'UnprocessableEntityError',
    message: 'A direct conversation has exactly two members and no roles.',
    code: 'DIRECT_CONVERSATION',
  },
};

interface Member {
  userId: string;
  role: string;
  joinedAt: string;
  lastReadSeq: number;
}

describe('conversation members (acceptance)', () => {
  const testApp = givenChatSuite();
  let owner: TestUser, admin: TestUser, member: TestUser;
  let group: {id: string};
  beforeEach(async () => {
    ({owner, admin, member, group} = await givenTeam(testApp.client));
  });

  function listMembers(user: TestUser, id = group.id) {
    return testApp.client
      .get(`/conversations/${id}/members`)
      .set('Authorization', user.auth);
  }

  function addMembers(user: TestUser, body: object, id = group.id) {
    return testApp.client
      .post(`/conversations/${id}/members`)
      .set('Authorization', user.auth)
      .send(body);
  }

  const byUser = (items: Member[]) =>
    Object.fromEntries(items.map(m => [m.userId, m]));
  const rolesOf = (items: Member[]) =>
    Object.fromEntries(items.map(m => [m.userId, m.role]));

  describe('GET /conversations/{id}/members', () => {
    it('lists members with roles and read positions', async () => {
      await givenMessages(testApp.client, owner, group.id, 3);
      await testApp.client
        .post(`/conversations/${group.id}/read`)
        .set('Authorization', member.auth)
        .send({seq: 2})
        .expect(200);
      const res = await listMembers(member).expect(200);
      expect(Object.keys(res.body)).to.eql(['items']);
      const members = byUser(res.body.items);
      expect(Object.keys(members).sort()).to.eql(
        [owner.id, admin.id, member.id].sort(),
      );
      expect(members[owner.id]).to.containDeep({role: 'owner', lastReadSeq: 3});
      expect(members[admin.id]).to.containDeep({role: 'admin', lastReadSeq: 0});
      expect(members[member.id]).to.containDeep({
        role: 'member',
        lastReadSeq: 2,
      });
      for (const m of res.body.items) {
        expect(Object.keys(m).sort()).to.eql([
          'joinedAt',
          'lastReadSeq',
          'lastSeenAt',
          'online',
          'role',
          'userId',
        ]);
        expect(m.joinedAt).to.match(ISO_DATE);
      }
    });

    it('answers 404 to a non-member', async () => {
      const stranger = await givenUser();
      const res = await listMembers(stranger).expect(404);
      expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
    });
  });

  describe('POST /conversations/{id}/members', () => {
    it('lets the owner add users: 200 with all the members', async () => {
      const [carol, dave] = await givenUsers(2);
      const res = await addMembers(owner, {
        userIds: [carol.id, dave.id],
      }).expect(200);
      expect(Object.keys(res.body)).to.eql(['items']);
      expect(rolesOf(res.body.items)).to.eql({
        [owner.id]: 'owner',
        [admin.id]: 'admin',
        [member.id]: 'member',
        [carol.id]: 'member',
        [dave.id]: 'member',
      });
      const view = await testApp.client
        .get(`/conversations/${group.id}`)
        .set('Authorization', carol.auth)
        .expect(200);
      expect(view.body.members).to.have.length(5);
    });

    it('lets an admin add users', async () => {
      const carol = await givenUser();
      const res = await addMembers(admin, {userIds: [carol.id]}).expect(200);
      expect(res.body.items).to.have.length(4);
    });

    it('ignores users who are already members', async () => {
      const carol = await givenUser();
      const before = byUser((await listMembers(owner).expect(200)).body.items);
      const res = await addMembers(owner, {
        userIds: [owner.id, admin.id, carol.id, carol.id],
      }).expect(200);
      const after = byUser(res.body.items);
      expect(Object.keys(after)).to.have.length(4);
      expect(after[owner.id]).to.eql(before[owner.id]);
      expect(after[admin.id]).to.eql(before[admin.id]);
      expect(after[carol.id].role).to.equal('member');
    });

    it('forbids a plain member (403)', async () => {
      const carol = await givenUser();
      const res = await addMembers(member, {userIds: [carol.id]}).expect(403);
      expect(res.body).to.eql(
        forbiddenBody('Only an owner or admin of the group may do this.'),
      );
      const list = await listMembers(owner).expect(200);
      expect(list.body.items).to.have.length(3);
    });

    it('refuses to add members to a direct conversation (422)', async () => {
      const carol = await givenUser();
      const direct = await givenDirect(testApp.client, owner, member);
      const res = await addMembers(
        owner,
        {userIds: [carol.id]},
        direct.id,
      ).expect(422);
      expect(res.body).to.eql(DIRECT_CONVERSATION);
    });

    it('answers 404 to a non-member', async () => {
      const stranger = await givenUser();
      const res = await addMembers(stranger, {userIds: [stranger.id]}).expect(
        404,
      );
      expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
    });

    it('starts a later member at the latest seq, with nothing unread', async () => {
      await givenMessages(testApp.client, owner, group.id, 3);
      const carol = await givenUser();
      const res = await addMembers(owner, {userIds: [carol.id]}).expect(200);
      expect(byUser(res.body.items)[carol.id]).to.containDeep({
        role: 'member',
        lastReadSeq: 3,
      });
      const view = await testApp.client
        .get(`/conversations/${group.id}`)
        .set('Authorization', carol.auth)
        .expect(200);
      expect(view.body.unreadCount).to.equal(0);
      expect(view.body.lastMessage.seq).to.equal(3);
      const history = await testApp.client
        .get(`/conversations/${group.id}/messages`)
        .set('Authorization', carol.auth)
        .expect(200);
      expect(history.body.items).to.have.length(3);

      await givenMessages(testApp.client, owner, group.id, 1);
      const later = await testApp.client
        .get(`/conversations/${group.id}`)
        .set('Authorization', carol.auth)
        .expect(200);
      expect(later.body.unreadCount).to.equal(1);
    });

    for (const [label, body, field] of [
      ['an empty userIds', {userIds: []}, /userIds/],
      ['a missing userIds', {}, /userIds/],
      ['an empty user id', {userIds: ['']}, /userIds/],
      ['an unknown property', {userIds: ['x'], role: 'admin'}, /role/],
    ] as const) {
      it(`rejects ${label} (422)`, async () => {
        const res = await addMembers(owner, body).expect(422);
        expect(res.body.error.statusCode).to.equal(422);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.message).to.match(field);
      });
    }
  });
});
