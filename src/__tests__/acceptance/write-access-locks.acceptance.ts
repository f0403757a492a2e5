import {expect} from '@loopback/testlab';
import {randomBytes} from 'node:crypto';
import request from 'supertest';
import {
  describeBackend,
  givenAttachment,
  givenGroup,
  givenLockHolder,
  givenMessages,
  givenRole,
  givenUsers,
  LockHolder,
  storedFiles,
  testDbQuery,
  TestUser,
  uploadRequest,
  waitForLockWaits,
  givenChatSuite,
} from '../fixtures';

// Every write re-checks access under the lock it writes under. Each test
// holds the conversation's row lock on a connection of its own, fires the
// request (it passes the access check, then waits for the lock), removes
// the caller or takes their role in that same transaction, and commits:
// the request must then answer what the access check answers (404, 403)
// and write nothing.
describe(`access re-checked under the write's lock (${describeBackend()})`, () => {
  const testApp = givenChatSuite({}, {attachments: true});
  let holder: LockHolder;
  let owner: TestUser, admin: TestUser, member: TestUser, other: TestUser;
  let id: string;

  beforeEach(async () => {
    [owner, admin, member, other] = await givenUsers(4);
    id = (await givenGroup(testApp.client, owner, [admin, member])).id;
    await givenRole(testApp.client, owner, id, admin, 'admin');
    holder = await givenLockHolder();
  });
  afterEach(async () => {
    await holder.rollback().catch(() => undefined);
    await holder.end();
  });

  const removeMember = (user: TestUser) =>
    holder.query(
      'DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
      [id, user.id],
    );
  const demote = (user: TestUser) =>
    holder.query(
      `UPDATE chat_members SET role = 'member'
       WHERE conversation_id = $1 AND user_id = $2`,
      [id, user.id],
    );

  /**
   * Fires `write` while the conversation's row is locked, applies `change`
   * in the locking transaction once the request waits, commits, and
   * answers the response. No event may have been written by it.
   */
  async function interleave(
    write: () => request.Test,
    change: () => Promise<unknown>,
  ): Promise<request.Response> {
    const eventsBefore = await countEvents();
    await holder.begin();
    await holder.query(
      'SELECT id FROM chat_conversations WHERE id = $1 FOR UPDATE',
      [id],
    );
    const pending = write().then(res => res);
    await waitForLockWaits();
    await change();
    await holder.commit();
    const res = await pending;
    expect(await countEvents()).to.equal(eventsBefore);
    return res;
  }

  async function countEvents(): Promise<number> {
    const [row] = await testDbQuery<{n: string}>(
      `SELECT (SELECT COUNT(*) FROM chat_events) +
         (SELECT COUNT(*) FROM chat_event_queue) AS n`,
    );
    return Number(row.n);
  }

  async function countMessages(): Promise<number> {
    const [row] = await testDbQuery<{n: string; last: string}>(
      `SELECT COUNT(m.id) AS n, MAX(c.last_seq) AS last FROM chat_conversations c
       LEFT JOIN chat_messages m ON m.conversation_id = c.id WHERE c.id = $1`,
      [id],
    );
    // last_seq moves with every message: a gap would show here
    expect(Number(row.last ?? 0)).to.equal(Number(row.n));
    return Number(row.n);
  }

  const client = () => testApp.client;
  const expectError = (res: request.Response, status: number, code: string) => {
    expect(res.status).to.equal(status);
    expect(res.body.error).to.containDeep({statusCode: status, code});
  };

  it('refuses a send of a member removed while it waited', async () => {
    const res = await interleave(
      () =>
        client()
          .post(`/conversations/${id}/messages`)
          .set('Authorization', member.auth)
          .send({body: 'too late'}),
      () => removeMember(member),
    );
    expectError(res, 404, 'CONVERSATION_NOT_FOUND');
    expect(await countMessages()).to.equal(0);
  });

  it('refuses a send with attachments of a member removed while it waited', async () => {
    const upload = await givenAttachment(client(), member, id);
    const res = await interleave(
      () =>
        client()
          .post(`/conversations/${id}/messages`)
          .set('Authorization', member.auth)
          .send({body: 'too late', attachmentIds: [upload.id]}),
      () => removeMember(member),
    );
    expectError(res, 404, 'CONVERSATION_NOT_FOUND');
    expect(await countMessages()).to.equal(0);
    const [row] = await testDbQuery<{messageId: string | null}>(
      'SELECT message_id AS "messageId" FROM chat_attachments WHERE id = $1',
      [upload.id],
    );
    expect(row.messageId).to.be.null();
  });

  it('refuses an edit by an author removed while it waited', async () => {
    const [message] = await givenMessages(client(), member, id, 1);
    const res = await interleave(
      () =>
        client()
          .patch(`/conversations/${id}/messages/${message.id}`)
          .set('Authorization', member.auth)
          .send({body: 'edited'}),
      () => removeMember(member),
    );
    expectError(res, 404, 'CONVERSATION_NOT_FOUND');
    const [row] = await testDbQuery<{body: string}>(
      'SELECT body FROM chat_messages WHERE id = $1',
      [message.id],
    );
    expect(row.body).to.equal('message 1');
  });

  it("refuses an admin's delete of another's message once demoted", async () => {
    const [message] = await givenMessages(client(), member, id, 1);
    const res = await interleave(
      () =>
        client()
          .delete(`/conversations/${id}/messages/${message.id}`)
          .set('Authorization', admin.auth),
      () => demote(admin),
    );
    expectError(res, 403, 'NOT_ALLOWED');
    const [row] = await testDbQuery<{deletedAt: unknown}>(
      'SELECT deleted_at AS "deletedAt" FROM chat_messages WHERE id = $1',
      [message.id],
    );
    expect(row.deletedAt).to.be.null();
  });

  it('refuses adding members by an admin demoted while it waited', async () => {
    const res = await interleave(
      () =>
        client()
          .post(`/conversations/${id}/members`)
          .set('Authorization', admin.auth)
          .send({userIds: [other.id]}),
      () => demote(admin),
    );
    expectError(res, 403, 'NOT_ALLOWED');
    expect(await memberIds()).to.not.containEql(other.id);
  });

  it('refuses removing a member by an admin demoted while it waited', async () => {
    const res = await interleave(
      () =>
        client()
          .delete(`/conversations/${id}/members/${member.id}`)
          .set('Authorization', admin.auth),
      () => demote(admin),
    );
    expectError(res, 403, 'NOT_ALLOWED');
    expect(await memberIds()).to.containEql(member.id);
  });

  it('refuses a role change by an owner demoted while it waited', async () => {
    const res = await interleave(
      () =>
        client()
          .patch(`/conversations/${id}/members/${member.id}`)
          .set('Authorization', owner.auth)
          .send({role: 'admin'}),
      // another owner first, so the group keeps one
      async () => {
        await holder.query(
          `UPDATE chat_members SET role = 'owner'
           WHERE conversation_id = $1 AND user_id = $2`,
          [id, admin.id],
        );
        await demote(owner);
      },
    );
    expectError(res, 403, 'NOT_ALLOWED');
    const [row] = await testDbQuery<{role: string}>(
      'SELECT role FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
      [id, member.id],
    );
    expect(row.role).to.equal('member');
  });

  it('refuses a conversation update by an admin demoted while it waited', async () => {
    const res = await interleave(
      () =>
        client()
          .patch(`/conversations/${id}`)
          .set('Authorization', admin.auth)
          .send({title: 'Renamed'}),
      () => demote(admin),
    );
    expectError(res, 403, 'NOT_ALLOWED');
    const [row] = await testDbQuery<{title: string}>(
      'SELECT title FROM chat_conversations WHERE id = $1',
      [id],
    );
    expect(row.title).to.equal('Team');
  });

  it('refuses marking read by a member removed while it waited', async () => {
    await givenMessages(client(), owner, id, 2);
    const res = await interleave(
      () =>
        client()
          .post(`/conversations/${id}/read`)
          .set('Authorization', member.auth)
          .send({seq: 2}),
      () => removeMember(member),
    );
    expectError(res, 404, 'CONVERSATION_NOT_FOUND');
  });

  it('refuses an upload of a member removed while it waited, keeping no bytes', async () => {
    const res = await interleave(
      () => uploadRequest(client(), member, id, {content: randomBytes(1000)}),
      () => removeMember(member),
    );
    expectError(res, 404, 'CONVERSATION_NOT_FOUND');
    const rows = await testDbQuery('SELECT id FROM chat_attachments');
    expect(rows).to.have.length(0);
    expect(
      storedFiles(testApp.storageDir).filter(f => !f.startsWith('.tmp')),
    ).to.eql([]);
  });

  async function memberIds(): Promise<string[]> {
    const rows = await testDbQuery<{userId: string}>(
      'SELECT user_id AS "userId" FROM chat_members WHERE conversation_id = $1',
      [id],
    );
    return rows.map(r => r.userId);
  }
});
