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
  forbiddenBody,
} from '../fixtures';

const MESSAGE_DELETED = {
  error: {
    statusCode: 409,
    name: 'ConflictError',
    message: 'The message was deleted.',
    code: 'MESSAGE_DELETED',
  },
};
const NOT_AUTHOR_EDIT = forbiddenBody('Only the author may edit a message.');
const NOT_AUTHOR_DELETE = forbiddenBody(
  'Only the author or a group owner or admin may delete a message.',
);

describe('one message: GET, PATCH and DELETE', () => {
  const testApp = givenChatSuite();
  const client = testApp.client;
  let owner: TestUser;
  let admin: TestUser;
  let author: TestUser;
  let other: TestUser;
  let conversationId: string;
  let message: {id: string; seq: number; body: string; createdAt: string};

  beforeEach(async () => {
    [owner, admin, author, other] = await givenUsers(4);
    conversationId = (await givenGroup(client, owner, [admin, author, other]))
      .id;
    await client
      .patch(`/conversations/${conversationId}/members/${admin.id}`)
      .set('Authorization', owner.auth)
      .send({role: 'admin'})
      .expect(200);
    await givenMessages(client, owner, conversationId, 1);
    [message] = await givenMessages(client, author, conversationId, 1);
    await givenMessages(client, owner, conversationId, 1);
  });

  const path = (id = message.id) =>
    `/conversations/${conversationId}/messages/${id}`;
  const getMessage = (user: TestUser, id?: string) =>
    client.get(path(id)).set('Authorization', user.auth);
  const edit = (user: TestUser, body: object, id?: string) =>
    client.patch(path(id)).set('Authorization', user.auth).send(body);
  const remove = (user: TestUser, id?: string) =>
    client.delete(path(id)).set('Authorization', user.auth);

  it('GET answers the message to any member', async () => {
    const res = await getMessage(other).expect(200);
    expect(res.body).to.eql(message);
  });

  it('GET answers 404 for an unknown message id', async () => {
    const res = await getMessage(owner, randomUUID());
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Message'));
  });

  it('GET answers 404 for a message id that is not a uuid', async () => {
    const res = await getMessage(owner, 'not-a-uuid');
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Message'));
  });

  it('GET answers 404 for a message of another conversation', async () => {
    const elsewhere = (await givenGroup(client, owner)).id;
    const [foreign] = await givenMessages(client, owner, elsewhere, 1);
    const res = await getMessage(owner, foreign.id);
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Message'));
  });

  it('GET answers 404 to a non-member', async () => {
    const stranger = await givenUser();
    const res = await getMessage(stranger);
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
  });

  it('PATCH by the author answers 200 with the new body and editedAt', async () => {
    const before = Date.now();
    const res = await edit(author, {body: 'edited'});
    expect(res.status).to.equal(200);
    const {editedAt} = res.body;
    expect({...res.body, editedAt: null}).to.eql({...message, body: 'edited'});
    expect(Date.parse(editedAt)).to.be.within(before - 1000, Date.now() + 1000);
    const stored = await getMessage(other).expect(200);
    expect(stored.body).to.eql(res.body);
  });

  it('PATCH by another member, even the owner, answers 403', async () => {
    for (const user of [other, owner]) {
      const res = await edit(user, {body: 'hijacked'});
      expect(res.status).to.equal(403);
      expect(res.body).to.eql(NOT_AUTHOR_EDIT);
    }
    const stored = await getMessage(author).expect(200);
    expect(stored.body).to.eql(message);
  });

  it('PATCH answers 404 for an unknown message', async () => {
    const res = await edit(author, {body: 'x'}, randomUUID());
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Message'));
  });

  it('PATCH rejects an empty body and server-owned fields with 422', async () => {
    const cases: [object, RegExp][] = [
      [{body: ''}, /body/],
      [{body: 'x', seq: 9}, /seq/],
      [{body: 'x', deletedAt: null}, /deletedAt/],
    ];
    for (const [body, field] of cases) {
      const res = await edit(author, body);
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.message).to.match(field);
    }
  });

  it('DELETE by the author answers 204 and leaves a tombstone', async () => {
    const before = Date.now();
    const res = await remove(author);
    expect(res.status).to.equal(204);
    const stored = await getMessage(other).expect(200);
    const {deletedAt} = stored.body;
    expect({...stored.body, deletedAt: null}).to.eql({...message, body: null});
    expect(Date.parse(deletedAt)).to.be.within(
      before - 1000,
      Date.now() + 1000,
    );
    const history = await client
      .get(`/conversations/${conversationId}/messages`)
      .set('Authorization', other.auth)
      .expect(200);
    expect(history.body.items.map((m: {seq: number}) => m.seq)).to.eql([
      1, 2, 3,
    ]);
    expect(history.body.items[1]).to.eql(stored.body);
  });

  it('editing or deleting a deleted message answers 409 MESSAGE_DELETED', async () => {
    await remove(author).expect(204);
    const edited = await edit(author, {body: 'back'});
    expect(edited.status).to.equal(409);
    expect(edited.body).to.eql(MESSAGE_DELETED);
    const again = await remove(author);
    expect(again.status).to.equal(409);
    expect(again.body).to.eql(MESSAGE_DELETED);
    const stored = await getMessage(author).expect(200);
    expect(stored.body.body).to.be.null();
  });

  it("the group owner may delete another member's message", async () => {
    await remove(owner).expect(204);
    const stored = await getMessage(author).expect(200);
    expect(stored.body.body).to.be.null();
  });

  it("a group admin may delete another member's message", async () => {
    await remove(admin).expect(204);
    const stored = await getMessage(author).expect(200);
    expect(stored.body.body).to.be.null();
  });

  it("a plain member may not delete another member's message", async () => {
    const res = await remove(other);
    expect(res.status).to.equal(403);
    expect(res.body).to.eql(NOT_AUTHOR_DELETE);
    const stored = await getMessage(author).expect(200);
    expect(stored.body).to.eql(message);
  });

  it('DELETE answers 404 for an unknown message', async () => {
    const res = await remove(owner, randomUUID());
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Message'));
  });
});

describe('deleting in a direct conversation', () => {
  const testApp = givenChatSuite();
  const client = testApp.client;

  it('the other member may not delete your message, you may', async () => {
    const [me, you] = await givenUsers(2);
    const {id} = await givenDirect(client, me, you);
    const [mine] = await givenMessages(client, me, id, 1);
    const path = `/conversations/${id}/messages/${mine.id}`;
    const res = await client.delete(path).set('Authorization', you.auth);
    expect(res.status).to.equal(403);
    expect(res.body).to.eql(NOT_AUTHOR_DELETE);
    await client.delete(path).set('Authorization', me.auth).expect(204);
  });
});
