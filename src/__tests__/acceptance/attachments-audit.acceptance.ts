import {expect} from '@loopback/testlab';
import {randomBytes} from 'node:crypto';
import {
  downloadRequest,
  givenAttachment,
  givenDirect,
  givenGroup,
  givenRole,
  givenUser,
  givenUsers,
  TestUser,
  givenChatSuite,
  clockPast,
  forbiddenBody,
  notFoundBody,
} from '../fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface AuditEntry {
  id: string;
  attachmentId: string;
  userId: string;
  downloadedAt: string;
  ip: string | null;
  userAgent: string | null;
  bytes: number;
  range: string | null;
}

describe('GET /attachments/{id}/downloads (the download audit)', () => {
  const testApp = givenChatSuite({}, {attachments: true});
  const client = testApp.client;
  let owner: TestUser;
  let admin: TestUser;
  let uploader: TestUser;
  let member: TestUser;
  let conversationId: string;
  let attachmentId: string;

  beforeEach(async () => {
    [owner, admin, uploader, member] = await givenUsers(4);
    conversationId = (
      await givenGroup(client, owner, [admin, uploader, member])
    ).id;
    await givenRole(client, owner, conversationId, admin, 'admin');
    attachmentId = (
      await givenAttachment(client, uploader, conversationId, {
        content: randomBytes(1000),
      })
    ).id;
  });

  const audit = (user: TestUser, query = '', id = attachmentId) =>
    client
      .get(`/attachments/${id}/downloads${query}`)
      .set('Authorization', user.auth);
  const download = (user: TestUser, range?: string) => {
    const req = downloadRequest(client, user, attachmentId).set(
      'User-Agent',
      `agent-of-${user.id}`,
    );
    return range ? req.set('Range', range) : req;
  };

  it('records each full and ranged download exactly', async () => {
    const before = Date.now();
    await download(member).expect(200);
    await download(owner, 'bytes=100-199').expect(206);
    await download(member, 'bytes=-50').expect(206);
    const res = await audit(uploader);
    expect(res.status).to.equal(200);
    expect(res.body.nextCursor).to.be.null();
    const items: AuditEntry[] = res.body.items;
    expect(items).to.have.length(3);
    for (const item of items) {
      expect(item.id).to.match(UUID);
      expect(item.ip).to.match(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
      expect(item.userAgent).to.equal(`agent-of-${item.userId}`);
      const at = Date.parse(item.downloadedAt);
      expect(at).to.be.within(before - 1000, Date.now() + 1000);
    }
    const summary = items
      .map(({attachmentId: a, userId, bytes, range}) => ({
        attachmentId: a,
        userId,
        bytes,
        range,
      }))
      .sort((x, y) => x.bytes - y.bytes);
    expect(summary).to.eql([
      {attachmentId, userId: member.id, bytes: 50, range: 'bytes=950-999'},
      {attachmentId, userId: owner.id, bytes: 100, range: 'bytes=100-199'},
      {attachmentId, userId: member.id, bytes: 1000, range: null},
    ]);
    // newest first
    const times = items.map(i => Date.parse(i.downloadedAt));
    expect([...times].sort((a, b) => b - a)).to.eql(times);
  });

  it('does not record refused requests', async () => {
    const stranger = await givenUser();
    await downloadRequest(client, stranger, attachmentId).expect(404);
    await download(member, 'bytes=5000-').expect(416);
    await client.get(`/attachments/${attachmentId}/content`).expect(401);
    await client
      .get(`/attachments/${attachmentId}`)
      .set('Authorization', member.auth)
      .expect(200);
    const res = await audit(owner).expect(200);
    expect(res.body).to.eql({items: [], nextCursor: null});
  });

  it('is readable by the uploader, group owners and admins', async () => {
    await download(member).expect(200);
    for (const user of [uploader, owner, admin]) {
      const res = await audit(user);
      expect(res.status).to.equal(200);
      expect(res.body.items).to.have.length(1);
    }
  });

  it('answers 403 to other members', async () => {
    const res = await audit(member);
    expect(res.status).to.equal(403);
    expect(res.body).to.eql(
      forbiddenBody(
        'Only the uploader or a group owner or admin may read the downloads.',
      ),
    );
  });

  it('answers 404 to non-members and to the removed uploader', async () => {
    const stranger = await givenUser();
    const notFound = notFoundBody('Attachment');
    const res = await audit(stranger);
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFound);
    await client
      .delete(`/conversations/${conversationId}/members/${uploader.id}`)
      .set('Authorization', uploader.auth)
      .expect(204);
    const left = await audit(uploader);
    expect(left.status).to.equal(404);
    expect(left.body).to.eql(notFound);
  });

  it('in a direct conversation, only the uploader may read it', async () => {
    const [a, b] = await givenUsers(2);
    const direct = await givenDirect(client, a, b);
    const file = await givenAttachment(client, a, direct.id);
    await audit(a, '', file.id).expect(200);
    const res = await audit(b, '', file.id);
    expect(res.status).to.equal(403);
  });

  it('pages with limit and cursor, newest first', async () => {
    for (let i = 0; i < 5; i++) {
      await download(member, `bytes=${i}-${i}`).expect(206);
      // distinct timestamps, so the expected order is unambiguous
      await clockPast(Date.now());
    }
    const seen: AuditEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await audit(owner, query).expect(200);
      expect(res.body.items.length).to.be.belowOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).to.equal(3);
    expect(seen.map(e => e.range)).to.eql(
      [4, 3, 2, 1, 0].map(i => `bytes=${i}-${i}`),
    );
    expect(new Set(seen.map(e => e.id)).size).to.equal(5);
  });

  it('rejects a bad limit or cursor with 422', async () => {
    const badLimit = await audit(owner, '?limit=0');
    expect(badLimit.status).to.equal(422);
    expect(badLimit.body.error.message).to.match(/limit/);
    const badCursor = await audit(owner, '?cursor=nonsense');
    expect(badCursor.status).to.equal(422);
    expect(badCursor.body.error.message).to.equal(
      'cursor: is not a cursor this server issued',
    );
  });
});
