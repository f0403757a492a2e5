import {DeleteObjectCommand} from '@aws-sdk/client-s3';
import {expect} from '@loopback/testlab';
import {randomBytes} from 'node:crypto';
import {ChatServiceBindings, S3_PART_SIZE} from '../..';
import {
  CapturedLogger,
  countAttachmentRows,
  describeBackend,
  downloadRequest,
  eventually,
  givenAttachment,
  givenChatSuite,
  givenGroup,
  givenS3Suite,
  givenUsers,
  sha256,
  StreamingUpload,
  testDbQuery,
  TestUser,
  uploadRequest,
} from '../fixtures';

const PREFIX = 'chat/';
/** Over one part, so a refused upload has begun a multipart upload. */
const MAX_BYTES = S3_PART_SIZE + 1024 * 1024;

/** The object key of an attachment: `<prefix><storage key>`. */
async function objectKeyOf(attachmentId: string): Promise<string> {
  const [row] = await testDbQuery(
    'SELECT storage_key FROM chat_attachments WHERE id = $1',
    [attachmentId],
  );
  return PREFIX + String(row.storage_key);
}

// issue #14: attachments in an S3-compatible bucket (`attachments.storage:
// 's3'`), here s3rver on a loopback port through the real AWS SDK, with the
// credentials of the SDK's default chain (AWS_* variables).
describe(`attachments in S3 (${describeBackend()})`, function (this: Mocha.Suite) {
  this.timeout(60000);
  const s3 = givenS3Suite(
    {attachments: {maxBytes: MAX_BYTES}},
    {prefix: PREFIX},
  );
  const logger = new CapturedLogger();
  const testApp = givenChatSuite(s3.config, {
    beforeStart: app => app.bind(ChatServiceBindings.LOGGER).to(logger),
  });
  const client = testApp.client;
  let owner: TestUser;
  let member: TestUser;
  let conversationId: string;
  let url: URL;

  beforeEach(async () => {
    logger.lines.splice(0);
    [owner, member] = await givenUsers(2);
    conversationId = (await givenGroup(client, owner, [member])).id;
    url = new URL(
      `/conversations/${conversationId}/attachments`,
      testApp.app.restServer.url,
    );
  });

  it('stores an upload as <prefix><key> and serves it whole and ranged, audited', async () => {
    const content = randomBytes(5000);
    const attachment = await givenAttachment(client, owner, conversationId, {
      content,
    });
    expect(attachment.sha256).to.equal(sha256(content));
    const key = await objectKeyOf(attachment.id);
    expect(s3.server.objectKeys()).to.containEql(key);

    const whole = await downloadRequest(client, member, attachment.id);
    expect(whole.status).to.equal(200);
    expect((whole.body as Buffer).equals(content)).to.be.true();
    const part = await downloadRequest(client, member, attachment.id).set(
      'Range',
      'bytes=10-19',
    );
    expect(part.status).to.equal(206);
    expect(part.headers['content-range']).to.equal('bytes 10-19/5000');
    expect((part.body as Buffer).equals(content.subarray(10, 20))).to.be.true();
    // the range was asked of S3, not cut from the whole object
    expect(s3.server.requests()).to.containEql(
      `GET /${s3.server.bucket}/${key}?x-id=GetObject 206`,
    );

    const audit = await client
      .get(`/attachments/${attachment.id}/downloads`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(audit.body.items).to.containDeep([
      {userId: member.id, bytes: 10, range: 'bytes=10-19'},
      {userId: member.id, bytes: 5000, range: null},
    ]);
  });

  it('streams a file of several parts through to the bucket and back', async () => {
    const content = randomBytes(S3_PART_SIZE + 300 * 1024);
    const attachment = await givenAttachment(client, owner, conversationId, {
      content,
      fileName: 'big.zip',
      contentType: 'application/zip',
    });
    const key = await objectKeyOf(attachment.id);
    expect(
      s3.server
        .requests()
        .filter(r => r.includes(`${key}?`) && /partNumber=/.test(r)),
    ).to.have.length(2);
    const whole = await downloadRequest(client, member, attachment.id);
    expect(sha256(whole.body as Buffer)).to.equal(sha256(content));
  });

  it('asks nothing of S3 for a refused content type (415)', async () => {
    const before = s3.server.requests().length;
    const res = await uploadRequest(client, owner, conversationId, {
      content: randomBytes(1000),
      contentType: 'text/html',
    });
    expect(res.status).to.equal(415);
    expect(res.body.error.code).to.equal('UNSUPPORTED_ATTACHMENT_TYPE');
    expect(s3.server.requests().slice(before)).to.eql([]);
    expect(await countAttachmentRows(testApp)).to.equal(0);
  });

  it('leaves no object for an upload over the limit found while streaming (413)', async () => {
    const objects = s3.server.objectKeys();
    const before = s3.server.requests().length;
    const upload = new StreamingUpload(url, owner.auth);
    await upload.send(MAX_BYTES + 1024 * 1024);
    const outcome = await upload.finish();
    expect(outcome.status).to.equal(413);
    expect(JSON.parse(outcome.body!).error.code).to.equal(
      'ATTACHMENT_TOO_LARGE',
    );
    // a multipart upload had begun; its object is deleted
    const calls = s3.server.requests().slice(before);
    expect(calls.some(c => /^POST .*\?uploads/.test(c))).to.be.true();
    expect(
      calls.some(c => /^DELETE .*x-id=DeleteObject 204$/.test(c)),
    ).to.be.true();
    expect(s3.server.objectKeys()).to.eql(objects);
    expect(await countAttachmentRows(testApp)).to.equal(0);
  });

  it('leaves no object for an upload the client aborts mid-body', async () => {
    const objects = s3.server.objectKeys();
    const before = s3.server.requests().length;
    const calls = () => s3.server.requests().slice(before);
    const upload = new StreamingUpload(url, owner.auth);
    await upload.send(S3_PART_SIZE + 512 * 1024);
    await eventually(
      () => calls().some(c => /partNumber=1\b.* 200$/.test(c)),
      'the first part reached S3',
    );
    upload.abort();
    await eventually(
      () => calls().some(c => /^DELETE .*x-id=DeleteObject 204$/.test(c)),
      'the object of the aborted upload was deleted',
    );
    expect(s3.server.objectKeys()).to.eql(objects);
    expect(await countAttachmentRows(testApp)).to.equal(0);
    // the client left: not a storage failure for the operator
    expect(logger.matching('error', /attachment storage failed/)).to.eql([]);
  });

  it('answers 410 ATTACHMENT_CONTENT_MISSING for an object gone from the bucket', async () => {
    const attachment = await givenAttachment(client, owner, conversationId);
    await s3.client.send(
      new DeleteObjectCommand({
        Bucket: s3.server.bucket,
        Key: await objectKeyOf(attachment.id),
      }),
    );
    for (const range of [undefined, 'bytes=0-9']) {
      const req = downloadRequest(client, member, attachment.id);
      const res = await (range ? req.set('Range', range) : req);
      expect(res.status).to.equal(410);
      expect(JSON.parse(String(res.body)).error).to.containDeep({
        statusCode: 410,
        code: 'ATTACHMENT_CONTENT_MISSING',
      });
    }
    const downloads = await testDbQuery(
      'SELECT id FROM chat_attachment_downloads WHERE attachment_id = $1',
      [attachment.id],
    );
    expect(downloads).to.have.length(0);
    expect(logger.matching('error', /missing from the storage/)).to.have.length(
      1,
    );
  });
});

// What the storage routes answer while S3 cannot be reached.
describe(`attachments while S3 is down (${describeBackend()})`, function (this: Mocha.Suite) {
  this.timeout(60000);
  const s3 = givenS3Suite();
  const logger = new CapturedLogger();
  const testApp = givenChatSuite(s3.config, {
    beforeStart: app => app.bind(ChatServiceBindings.LOGGER).to(logger),
  });

  it('answers uploads and downloads 503 STORAGE_UNAVAILABLE and records nothing', async () => {
    const {client} = testApp;
    const [owner] = await givenUsers(1);
    const conversationId = (await givenGroup(client, owner)).id;
    const stored = await givenAttachment(client, owner, conversationId);
    await s3.stop();

    const unavailable = {
      statusCode: 503,
      name: 'ServiceUnavailableError',
      message: 'The attachment storage cannot be reached now; retry later.',
      code: 'STORAGE_UNAVAILABLE',
    };
    const upload = await uploadRequest(client, owner, conversationId, {
      content: randomBytes(1000),
    });
    expect(upload.status).to.equal(503);
    expect(upload.headers['retry-after']).to.equal('5');
    expect(upload.body).to.eql({error: unavailable});
    expect(await countAttachmentRows(testApp)).to.equal(1);

    const download = await downloadRequest(client, owner, stored.id);
    expect(download.status).to.equal(503);
    expect(JSON.parse(String(download.body))).to.eql({error: unavailable});
    const downloads = await testDbQuery(
      'SELECT id FROM chat_attachment_downloads WHERE attachment_id = $1',
      [stored.id],
    );
    expect(downloads).to.have.length(0);
    // the operator is told once, not per request
    expect(
      logger.matching('error', /attachment storage failed/),
    ).to.have.length(1);
  });
});
