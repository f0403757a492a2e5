import {expect} from '@loopback/testlab';
import {randomBytes, randomUUID} from 'node:crypto';
import {
  bearer,
  downloadRequest,
  givenAttachment,
  givenDirect,
  givenUser,
  givenUsers,
  sha256,
  TestUser,
  givenChatSuite,
  notFoundBody,
  givenGroupOfTwo,
} from '../fixtures';

describe('GET /attachments/{id} and /attachments/{id}/content', () => {
  const testApp = givenChatSuite({}, {attachments: true});
  const client = testApp.client;
  let owner: TestUser, member: TestUser, conversationId: string;
  let content: Buffer;
  let attachment: {id: string; sha256: string; size: number};

  beforeEach(async () => {
    ({owner, member, conversationId} = await givenGroupOfTwo(client));
    content = randomBytes(1000);
    attachment = await givenAttachment(client, member, conversationId, {
      content,
      fileName: 'Überblick 100% 報告.pdf',
      contentType: 'application/pdf',
    });
  });

  const download = (user: TestUser, id = attachment.id) =>
    downloadRequest(client, user, id);
  const metadata = (user: TestUser, id = attachment.id) =>
    client.get(`/attachments/${id}`).set('Authorization', user.auth);

  it('answers the metadata to every member', async () => {
    for (const user of [owner, member]) {
      const res = await metadata(user);
      expect(res.status).to.equal(200);
      expect(res.body).to.eql(attachment);
    }
  });

  it('streams the bytes with safe headers', async () => {
    const res = await download(owner);
    expect(res.status).to.equal(200);
    expect((res.body as Buffer).equals(content)).to.be.true();
    expect(res.headers).to.containDeep({
      'content-type': 'application/pdf',
      'content-length': '1000',
      'content-disposition':
        'attachment; filename="Uberblick 100_ __.pdf"; ' +
        "filename*=UTF-8''%C3%9Cberblick%20100%25%20%E5%A0%B1%E5%91%8A.pdf",
      etag: `"${sha256(content)}"`,
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-cache',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    expect(res.headers['content-range']).to.be.undefined();
  });

  it('answers a range with 206 and Content-Range', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=900-', 900, 999],
      ['bytes=-10', 990, 999],
      ['bytes=995-5000', 995, 999],
      ['bytes=0-0', 0, 0],
    ];
    for (const [range, start, end] of cases) {
      const res = await download(owner).set('Range', range);
      expect(res.status).to.equal(206);
      expect(res.headers['content-range']).to.equal(
        `bytes ${start}-${end}/1000`,
      );
      expect(res.headers['content-length']).to.equal(String(end - start + 1));
      expect(
        (res.body as Buffer).equals(content.subarray(start, end + 1)),
      ).to.be.true();
    }
  });

  it('answers 416 with Content-Range for an unsatisfiable range', async () => {
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const res = await client
        .get(`/attachments/${attachment.id}/content`)
        .set('Authorization', owner.auth)
        .set('Range', range);
      expect(res.status).to.equal(416);
      expect(res.headers['content-range']).to.equal('bytes */1000');
      expect(res.body).to.eql({
        error: {
          statusCode: 416,
          name: 'RangeNotSatisfiableError',
          message:
            'The range is not satisfiable: the attachment has 1000 bytes.',
          code: 'RANGE_NOT_SATISFIABLE',
        },
      });
    }
  });

  it('serves the whole file for ranges it does not honour', async () => {
    const ignored = ['items=0-1', 'bytes=5-1', 'bytes=0-1,5-6', 'bytes=x-'];
    for (const range of ignored) {
      const res = await download(owner).set('Range', range);
      expect(res.status).to.equal(200);
      expect((res.body as Buffer).equals(content)).to.be.true();
    }
  });

  it('honours If-Range only while the ETag matches', async () => {
    const matching = await download(owner)
      .set('Range', 'bytes=0-9')
      .set('If-Range', `"${attachment.sha256}"`);
    expect(matching.status).to.equal(206);
    const stale = await download(owner)
      .set('Range', 'bytes=0-9')
      .set('If-Range', '"something-else"');
    expect(stale.status).to.equal(200);
    expect((stale.body as Buffer).length).to.equal(1000);
  });

  it('answers 404 to a non-member, for metadata and content', async () => {
    const stranger = await givenUser();
    const meta = await metadata(stranger);
    expect(meta.status).to.equal(404);
    expect(meta.body).to.eql(notFoundBody('Attachment'));
    const bytes = await client
      .get(`/attachments/${attachment.id}/content`)
      .set('Authorization', stranger.auth);
    expect(bytes.status).to.equal(404);
    expect(bytes.body).to.eql(notFoundBody('Attachment'));
  });

  it('answers 404 to a member once removed from the conversation', async () => {
    await download(member).expect(200);
    await client
      .delete(`/conversations/${conversationId}/members/${member.id}`)
      .set('Authorization', owner.auth)
      .expect(204);
    const meta = await metadata(member);
    expect(meta.status).to.equal(404);
    expect(meta.body).to.eql(notFoundBody('Attachment'));
    const bytes = await client
      .get(`/attachments/${attachment.id}/content`)
      .set('Authorization', member.auth);
    expect(bytes.status).to.equal(404);
    expect(bytes.body).to.eql(notFoundBody('Attachment'));
  });

  it('answers 404 to the same user id in another tenant', async () => {
    const sameIdOtherTenant = {
      id: owner.id,
      auth: await bearer(owner.id, {tenantId: 'tenant-b'}),
    };
    const res = await metadata(sameIdOtherTenant);
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Attachment'));
  });

  it('answers 404 for unknown ids and ids that are not UUIDs', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', '..%2F..%2Fetc']) {
      const res = await metadata(owner, id);
      expect(res.status).to.equal(404);
      expect(res.body).to.eql(notFoundBody('Attachment'));
    }
  });

  it('serves a direct conversation to both members only', async () => {
    const [a, b, c] = await givenUsers(3);
    const direct = await givenDirect(client, a, b);
    const file = await givenAttachment(client, a, direct.id, {content});
    await download(b, file.id).expect(200);
    await download(c, file.id).expect(404);
  });
});
