import {expect} from '@loopback/testlab';
import {
  givenDirect,
  givenGroup,
  givenUser,
  TestUser,
  givenChatSuite,
  givenTeam,
  forbiddenBody,
  notFoundBody,
} from '../fixtures';

describe('PATCH /conversations/{id} (acceptance)', () => {
  const testApp = givenChatSuite();
  let owner: TestUser, admin: TestUser, member: TestUser;
  let group: {id: string};

  beforeEach(async () => {
    const extra = {externalId: 'case-1', metadata: {a: 1}};
    ({owner, admin, member, group} = await givenTeam(testApp.client, extra));
  });

  function update(user: TestUser, id: string, body: unknown) {
    return testApp.client
      .patch(`/conversations/${id}`)
      .set('Authorization', user.auth)
      .send(body as object);
  }

  function get(user: TestUser, id: string) {
    return testApp.client
      .get(`/conversations/${id}`)
      .set('Authorization', user.auth)
      .expect(200);
  }

  it('lets the owner change title, externalId and metadata (200)', async () => {
    const res = await update(owner, group.id, {
      title: 'Renamed',
      externalId: 'case-2',
      metadata: {b: 2},
    }).expect(200);
    expect(res.body).to.containDeep({
      id: group.id,
      type: 'group',
      title: 'Renamed',
      externalId: 'case-2',
      metadata: {b: 2},
    });
    expect(res.body.members).to.have.length(3);
    const stored = await get(member, group.id);
    expect(stored.body).to.containDeep({
      title: 'Renamed',
      externalId: 'case-2',
      metadata: {b: 2},
    });
  });

  it('changes only the given fields', async () => {
    const res = await update(owner, group.id, {title: 'Only title'}).expect(
      200,
    );
    expect(res.body).to.containDeep({
      title: 'Only title',
      externalId: 'case-1',
      metadata: {a: 1},
    });
  });

  it('clears externalId and metadata with null', async () => {
    const res = await update(owner, group.id, {
      externalId: null,
      metadata: null,
    }).expect(200);
    expect(res.body.externalId).to.be.null();
    expect(res.body.metadata).to.be.null();
    expect(res.body.title).to.equal('Team');
  });

  it('lets an admin update (200)', async () => {
    const res = await update(admin, group.id, {title: 'By admin'}).expect(200);
    expect(res.body.title).to.equal('By admin');
  });

  it('forbids a plain member (403)', async () => {
    const res = await update(member, group.id, {title: 'Nope'}).expect(403);
    expect(res.body).to.eql(
      forbiddenBody('Only an owner or admin of the group may do this.'),
    );
    const stored = await get(member, group.id);
    expect(stored.body.title).to.equal('Team');
  });

  it('refuses a direct conversation (422 DIRECT_CONVERSATION)', async () => {
    const direct = await givenDirect(testApp.client, owner, member);
    const res = await update(owner, direct.id, {metadata: {x: 1}}).expect(422);
    expect(res.body).to.eql({
      error: {
        statusCode: 422,
        name: 'UnprocessableEntityError',
        message: 'A direct conversation has exactly two members and no roles.',
        code: 'DIRECT_CONVERSATION',
      },
    });
  });

  it('answers 404 to a non-member', async () => {
    const stranger = await givenUser();
    const res = await update(stranger, group.id, {title: 'x'}).expect(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });

  it('rejects an externalId taken by another conversation (409)', async () => {
    await givenGroup(testApp.client, member, [], {externalId: 'case-7'});
    const res = await update(owner, group.id, {externalId: 'case-7'}).expect(
      409,
    );
    expect(res.body).to.eql({
      error: {
        statusCode: 409,
        name: 'ConflictError',
        message:
          'Another conversation of this tenant already has that externalId.',
        code: 'EXTERNAL_ID_TAKEN',
      },
    });
    const stored = await get(owner, group.id);
    expect(stored.body.externalId).to.equal('case-1');
  });

  it('accepts setting its own externalId again', async () => {
    const res = await update(owner, group.id, {externalId: 'case-1'}).expect(
      200,
    );
    expect(res.body.externalId).to.equal('case-1');
  });

  for (const property of ['foo', 'type', 'id', 'createdAt', 'lastSeq']) {
    it(`rejects the property ${property} (422 naming it)`, async () => {
      const res = await update(owner, group.id, {
        title: 'x',
        [property]: 'group',
      }).expect(422);
      expect(res.body.error.statusCode).to.equal(422);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.message).to.match(new RegExp(property));
    });
  }

  it('rejects an empty body {} (422)', async () => {
    const res = await update(owner, group.id, {}).expect(422);
    expect(res.body.error.statusCode).to.equal(422);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
  });

  it('rejects text the database cannot store (422 naming the field)', async () => {
    for (const body of [
      {title: 'a\u0000'},
      {externalId: '\udc00'},
      {metadata: {k: ['a\u0000']}},
    ]) {
      const res = await update(owner, group.id, body).expect(422);
      expect(res.body.error.statusCode).to.equal(422);
      expect(res.body.error.message).to.match(new RegExp(Object.keys(body)[0]));
    }
  });

  it('rejects a null or empty title (422 naming title)', async () => {
    for (const title of [null, '']) {
      const res = await update(owner, group.id, {title}).expect(422);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.message).to.match(/title/);
    }
  });
});
