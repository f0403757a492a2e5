import {expect} from '@loopback/testlab';
import {
  givenDirect,
  givenGroup,
  givenUser,
  givenUsers,
  TestUser,
  givenChatSuite,
} from '../fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('POST /conversations (acceptance)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
  });

  function create(user: TestUser, body: unknown) {
    return testApp.client
      .post('/conversations')
      .set('Authorization', user.auth)
      .send(body as object);
  }

  async function expectInvalid(user: TestUser, body: unknown, field: RegExp) {
    const res = await create(user, body).expect(422);
    expect(res.body.error.statusCode).to.equal(422);
    expect(res.body.error.code).to.be.oneOf(
      'VALIDATION_FAILED',
      'INVALID_FIELD',
    );
    expect(res.body.error.message).to.match(field);
    return res;
  }

  describe('direct', () => {
    it('creates it with the shape of a conversation (201)', async () => {
      const res = await create(alice, {type: 'direct', memberIds: [bob.id]});
      expect(res.status).to.equal(201);
      const body = res.body;
      expect(body.id).to.match(UUID);
      expect(body).to.containDeep({
        type: 'direct',
        title: null,
        externalId: null,
        metadata: null,
        lastMessageAt: null,
        lastMessage: null,
        unreadCount: 0,
      });
      expect(body.createdAt).to.match(ISO_DATE);
      expect(body.members).to.have.length(2);
      for (const member of body.members) {
        expect(Object.keys(member).sort()).to.eql([
          'joinedAt',
          'lastReadSeq',
          'lastSeenAt',
          'online',
          'role',
          'userId',
        ]);
        expect(member.joinedAt).to.match(ISO_DATE);
        expect(member.lastReadSeq).to.equal(0);
      }
      const ids = body.members.map((m: {userId: string}) => m.userId).sort();
      expect(ids).to.eql([alice.id, bob.id].sort());
    });

    it('answers the existing one (200) when created again, from either side', async () => {
      const first = await create(alice, {
        type: 'direct',
        memberIds: [bob.id],
      }).expect(201);
      const again = await create(alice, {
        type: 'direct',
        memberIds: [bob.id],
      }).expect(200);
      const reverse = await create(bob, {
        type: 'direct',
        memberIds: [alice.id],
      }).expect(200);
      expect(again.body.id).to.equal(first.body.id);
      expect(reverse.body.id).to.equal(first.body.id);
      expect(reverse.body.members).to.have.length(2);
    });

    it('rejects a direct conversation with yourself (422 naming memberIds)', async () => {
      await expectInvalid(
        alice,
        {type: 'direct', memberIds: [alice.id]},
        /memberIds/,
      );
    });

    it('rejects a direct conversation without exactly one other user', async () => {
      await expectInvalid(alice, {type: 'direct', memberIds: []}, /memberIds/);
      await expectInvalid(alice, {type: 'direct'}, /memberIds/);
      const carol = await givenUser();
      await expectInvalid(
        alice,
        {type: 'direct', memberIds: [bob.id, carol.id]},
        /memberIds/,
      );
    });

    it('rejects a title or an externalId (422 naming the field)', async () => {
      await expectInvalid(
        alice,
        {type: 'direct', memberIds: [bob.id], title: 'Hi'},
        /title/,
      );
      await expectInvalid(
        alice,
        {type: 'direct', memberIds: [bob.id], externalId: 'case-1'},
        /externalId/,
      );
    });
  });

  describe('group', () => {
    it('makes the creator owner and the others members', async () => {
      const carol = await givenUser();
      const res = await create(alice, {
        type: 'group',
        title: 'Team',
        memberIds: [bob.id, carol.id],
        metadata: {project: 7},
      }).expect(201);
      expect(res.body).to.containDeep({
        type: 'group',
        title: 'Team',
        externalId: null,
        metadata: {project: 7},
        lastMessage: null,
        unreadCount: 0,
      });
      const roles = Object.fromEntries(
        res.body.members.map((m: {userId: string; role: string}) => [
          m.userId,
          m.role,
        ]),
      );
      expect(roles).to.eql({
        [alice.id]: 'owner',
        [bob.id]: 'member',
        [carol.id]: 'member',
      });
    });

    it('requires a title (422 naming title)', async () => {
      await expectInvalid(alice, {type: 'group', memberIds: [bob.id]}, /title/);
      await expectInvalid(
        alice,
        {type: 'group', title: '', memberIds: [bob.id]},
        /title/,
      );
    });

    it('accepts an externalId', async () => {
      const group = await givenGroup(testApp.client, alice, [bob], {
        externalId: 'case-42',
      });
      expect(group.externalId).to.equal('case-42');
    });

    it('rejects an externalId taken in the tenant (409)', async () => {
      await givenGroup(testApp.client, alice, [bob], {externalId: 'case-42'});
      const res = await create(bob, {
        type: 'group',
        title: 'Other',
        externalId: 'case-42',
      }).expect(409);
      expect(res.body).to.eql({
        error: {
          statusCode: 409,
          name: 'ConflictError',
          message:
            'Another conversation of this tenant already has that externalId.',
          code: 'EXTERNAL_ID_TAKEN',
        },
      });
    });

    it('allows the same externalId in another tenant', async () => {
      const [x, y] = await givenUsers(2, {tenantId: 'tenant-x'});
      const [z] = await givenUsers(1, {tenantId: 'tenant-z'});
      const first = await givenGroup(testApp.client, x, [y], {
        externalId: 'case-42',
      });
      const second = await givenGroup(testApp.client, z, [], {
        externalId: 'case-42',
      });
      expect(second.id).to.not.equal(first.id);
    });
  });

  describe('invalid bodies', () => {
    for (const property of ['id', 'createdAt', 'lastSeq', 'foo']) {
      it(`rejects the property ${property} (422 naming it)`, async () => {
        const res = await expectInvalid(
          alice,
          {
            type: 'group',
            title: 'Team',
            memberIds: [bob.id],
            [property]: property === 'lastSeq' ? 5 : 'x',
          },
          new RegExp(property),
        );
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      });
    }

    it('rejects an unknown type (422 naming type)', async () => {
      await expectInvalid(alice, {type: 'channel', title: 'x'}, /type/);
    });

    it('rejects text the database cannot store (422 naming the field)', async () => {
      const group = {type: 'group', title: 'Team'};
      for (const bad of ['a\u0000b', 'a\ud800b']) {
        await expectInvalid(alice, {...group, title: bad}, /title/);
        await expectInvalid(alice, {...group, externalId: bad}, /externalId/);
        await expectInvalid(alice, {...group, memberIds: [bad]}, /memberIds/);
        await expectInvalid(alice, {...group, metadata: {k: bad}}, /metadata/);
        await expectInvalid(
          alice,
          {...group, metadata: {[bad]: 1}},
          /metadata/,
        );
        await expectInvalid(
          alice,
          {type: 'direct', memberIds: [bad]},
          /memberIds/,
        );
      }
    });

    it('keeps Unicode that the database can store', async () => {
      const res = await create(alice, {
        type: 'group',
        title: 'Équipe 😀',
        metadata: {note: '日本 😀'},
      }).expect(201);
      expect(res.body.title).to.equal('Équipe 😀');
      expect(res.body.metadata).to.eql({note: '日本 😀'});
    });

    it('rejects a JSON body that is not an object (422)', async () => {
      for (const body of ['[1, 2]', '"group"', '42']) {
        const res = await testApp.client
          .post('/conversations')
          .set('Authorization', alice.auth)
          .set('Content-Type', 'application/json')
          .send(body);
        expect(res.status).to.equal(422);
        expect(res.body.error.statusCode).to.equal(422);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      }
    });

    it('rejects unparsable JSON (400)', async () => {
      const res = await testApp.client
        .post('/conversations')
        .set('Authorization', alice.auth)
        .set('Content-Type', 'application/json')
        .send('{"type": "group",');
      expect(res.status).to.equal(400);
      expect(res.body.error.statusCode).to.equal(400);
      expect(res.body.error.code).to.equal('BAD_REQUEST');
    });

    it('creates nothing when the body is rejected', async () => {
      await create(alice, {type: 'group', title: 'x', foo: 1}).expect(422);
      const direct = await givenDirect(testApp.client, alice, bob);
      const list = await testApp.client
        .get('/conversations')
        .set('Authorization', alice.auth)
        .expect(200);
      expect(list.body.items.map((c: {id: string}) => c.id)).to.eql([
        direct.id,
      ]);
    });
  });
});
