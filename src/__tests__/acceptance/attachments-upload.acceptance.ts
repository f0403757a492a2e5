import {expect} from '@loopback/testlab';
import {randomBytes, randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  countAttachmentRows,
  downloadRequest,
  givenGroup,
  givenUser,
  givenUsers,
  sha256,
  storedFiles,
  TestUser,
  uploadRequest,
  givenChatSuite,
  givenGroupOfTwo,
} from '../fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_BYTES = 64 * 1024;

describe('POST /conversations/{id}/attachments', () => {
  const testApp = givenChatSuite(
    {
      attachments: {
        maxBytes: MAX_BYTES,
        allowedContentTypes: ['text/plain', 'image/*', 'application/pdf'],
      },
    },
    {attachments: true},
  );
  const client = testApp.client;
  let owner: TestUser, member: TestUser, conversationId: string;

  beforeEach(async () => {
    ({owner, member, conversationId} = await givenGroupOfTwo(client));
  });

  const upload = (
    content: Buffer,
    fileName = 'notes.txt',
    contentType = 'text/plain',
    user = member,
  ) =>
    uploadRequest(client, user, conversationId, {
      content,
      fileName,
      contentType,
    });

  async function expectNothingStored() {
    expect(storedFiles(testApp.storageDir)).to.eql([]);
    expect(await countAttachmentRows(testApp)).to.equal(0);
  }

  it('answers 201 with the attachment and stores the bytes once', async () => {
    const content = randomBytes(1000);
    const before = Date.now();
    const res = await upload(content, 'report.pdf', 'application/pdf');
    expect(res.status).to.equal(201);
    const {id, createdAt, ...rest} = res.body;
    expect(id).to.match(UUID);
    expect(rest).to.eql({
      conversationId,
      messageId: null,
      uploaderId: member.id,
      fileName: 'report.pdf',
      contentType: 'application/pdf',
      size: 1000,
      sha256: sha256(content),
    });
    expect(Date.parse(createdAt)).to.be.within(
      before - 1000,
      Date.now() + 1000,
    );
    const files = storedFiles(testApp.storageDir);
    expect(files).to.have.length(1);
    // stored under a generated key, not the client's name
    expect(path.basename(files[0])).to.match(UUID);
    const stored = fs.readFileSync(path.join(testApp.storageDir, files[0]));
    expect(stored.equals(content)).to.be.true();
    expect(await countAttachmentRows(testApp)).to.equal(1);
  });

  it('stores an empty file', async () => {
    const res = await upload(Buffer.alloc(0)).expect(201);
    expect(res.body).to.containDeep({size: 0, sha256: sha256(Buffer.alloc(0))});
  });

  it('accepts a file of exactly maxBytes', async () => {
    const content = randomBytes(MAX_BYTES);
    const res = await upload(content).expect(201);
    expect(res.body.size).to.equal(MAX_BYTES);
    const download = await downloadRequest(client, owner, res.body.id);
    expect(download.status).to.equal(200);
    expect((download.body as Buffer).equals(content)).to.be.true();
  });

  it('answers 413 for one byte over maxBytes and stores nothing', async () => {
    const res = await upload(randomBytes(MAX_BYTES + 1));
    expect(res.status).to.equal(413);
    expect(res.body).to.eql({
      error: {
        statusCode: 413,
        name: 'PayloadTooLargeError',
        message: `The attachment is larger than the limit of ${MAX_BYTES} bytes.`,
        code: 'ATTACHMENT_TOO_LARGE',
      },
    });
    await expectNothingStored();
  });

  it('answers 413 from Content-Length alone for a far larger body', async () => {
    const res = await upload(randomBytes(MAX_BYTES * 4));
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('ATTACHMENT_TOO_LARGE');
    await expectNothingStored();
    // the connection stays usable
    await upload(randomBytes(10)).expect(201);
  });

  it('answers 415 for a type that is not allowed and stores nothing', async () => {
    const res = await upload(randomBytes(5000), 'page.html', 'text/html');
    expect(res.status).to.equal(415);
    expect(res.body).to.eql({
      error: {
        statusCode: 415,
        name: 'UnsupportedMediaTypeError',
        message: 'Attachments of type "text/html" are not allowed.',
        code: 'UNSUPPORTED_ATTACHMENT_TYPE',
      },
    });
    await expectNothingStored();
  });

  it('matches wildcard patterns such as image/*', async () => {
    const res = await upload(randomBytes(10), 'a.png', 'image/png');
    expect(res.status).to.equal(201);
    expect(res.body.contentType).to.equal('image/png');
    await upload(randomBytes(10), 'a.mp3', 'audio/mpeg').expect(415);
  });

  it('reduces path-traversal names to a base name', async () => {
    // raw Content-Disposition parameters: clients (and form-data) differ
    const cases: [string, string][] = [
      ['filename="../../etc/passwd"', 'passwd'],
      ['filename="..\\\\..\\\\windows\\\\evil.exe"', 'evil.exe'],
      ["filename*=UTF-8''..%2F..%2Fsecret.txt", 'secret.txt'],
      ['filename="/var/lib/"', 'file'],
      ['filename=".."', 'file'],
      ['filename="sub/.."', 'file'],
      ["filename*=UTF-8''a%00b%07c%E2%80%AEtxt.exe", 'abctxt.exe'],
    ];
    for (const [parameter, expected] of cases) {
      const res = await client
        .post(`/conversations/${conversationId}/attachments`)
        .set('Authorization', member.auth)
        .set('Content-Type', 'multipart/form-data; boundary=b0undary')
        .send(
          '--b0undary\r\n' +
            `Content-Disposition: form-data; name="file"; ${parameter}\r\n` +
            'Content-Type: text/plain\r\n\r\nbytes\r\n--b0undary--\r\n',
        );
      expect(res.status).to.equal(201);
      expect(res.body.fileName).to.equal(expected);
    }
    const files = storedFiles(testApp.storageDir);
    expect(files).to.have.length(cases.length);
    for (const file of files) expect(path.basename(file)).to.match(UUID);
  });

  it('keeps Unicode in file names', async () => {
    const res = await upload(randomBytes(10), 'Überblick – 報告 📎.txt');
    expect(res.status).to.equal(201);
    expect(res.body.fileName).to.equal('Überblick – 報告 📎.txt');
  });

  it('answers 422 naming file when there is no file part', async () => {
    const res = await client
      .post(`/conversations/${conversationId}/attachments`)
      .set('Authorization', member.auth)
      .field('note', 'no file here');
    expect(res.status).to.equal(422);
    expect(res.body.error).to.containDeep({
      code: 'INVALID_FIELD',
      message: 'note: unknown part; send only "file"',
    });
    const empty = await client
      .post(`/conversations/${conversationId}/attachments`)
      .set('Authorization', member.auth)
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz--\r\n');
    expect(empty.status).to.equal(422);
    expect(empty.body.error.message).to.equal(
      'file: is required: a file part named "file"',
    );
    await expectNothingStored();
  });

  it('answers 422 for a second file and stores neither', async () => {
    const res = await upload(randomBytes(10)).attach(
      'file',
      randomBytes(10),
      'second.txt',
    );
    expect(res.status).to.equal(422);
    expect(res.body.error.message).to.equal('file: send exactly one file');
    await expectNothingStored();
  });

  it('answers 400 for a malformed multipart body', async () => {
    const res = await client
      .post(`/conversations/${conversationId}/attachments`)
      .set('Authorization', member.auth)
      .set('Content-Type', 'multipart/form-data')
      .send('not multipart');
    expect(res.status).to.equal(400);
    expect(res.body.error).to.containDeep({
      statusCode: 400,
      code: 'BAD_REQUEST',
    });
    await expectNothingStored();
  });

  it('answers 415 for a body that is not multipart', async () => {
    const res = await client
      .post(`/conversations/${conversationId}/attachments`)
      .set('Authorization', member.auth)
      .send({file: 'x'});
    expect(res.status).to.equal(415);
    expect(res.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 404 to a non-member and stores nothing', async () => {
    const stranger = await givenUser();
    const res = await upload(randomBytes(10), 'x.txt', 'text/plain', stranger);
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
    const unknown = await uploadRequest(client, member, randomUUID(), {
      content: randomBytes(10),
    });
    expect(unknown.status).to.equal(404);
    await expectNothingStored();
  });

  it('answers 401 without a token', async () => {
    const res = await client
      .post(`/conversations/${conversationId}/attachments`)
      .attach('file', randomBytes(10), 'a.txt');
    expect(res.status).to.equal(401);
  });
});

describe('attachment round trip with the default limits', () => {
  const testApp = givenChatSuite({}, {attachments: true});

  it('downloads a multi-MB file byte-identical to the upload', async () => {
    const {client} = testApp;
    const [owner, member] = await givenUsers(2);
    const conversationId = (await givenGroup(client, owner, [member])).id;
    const content = randomBytes(6 * 1024 * 1024 + 7);
    const res = await uploadRequest(client, owner, conversationId, {
      content,
      fileName: 'video.mp4',
      contentType: 'video/mp4',
    });
    expect(res.status).to.equal(201);
    expect(res.body).to.containDeep({
      size: content.length,
      sha256: sha256(content),
    });
    const download = await downloadRequest(client, member, res.body.id);
    expect(download.status).to.equal(200);
    expect(download.headers['content-length']).to.equal(String(content.length));
    expect((download.body as Buffer).equals(content)).to.be.true();
  });

  it('rejects application/octet-stream, which is not in the default list', async () => {
    const {client} = testApp;
    const owner = await givenUser();
    const conversationId = (await givenGroup(client, owner)).id;
    const res = await uploadRequest(client, owner, conversationId, {
      content: randomBytes(10),
      contentType: 'application/octet-stream',
    });
    expect(res.status).to.equal(415);
    expect(storedFiles(testApp.storageDir)).to.eql([]);
  });
});
