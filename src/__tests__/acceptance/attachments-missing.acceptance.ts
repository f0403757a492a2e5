import {expect} from '@loopback/testlab';
import fs from 'node:fs';
import path from 'node:path';
import {ChatServiceBindings} from '../..';
import {
  describeBackend,
  downloadRequest,
  givenAttachment,
  givenGroup,
  givenUsers,
  storedFiles,
  testDbQuery,
  TestUser,
  givenChatSuite,
  CapturedLogger,
} from '../fixtures';

// issue #13: an attachment whose bytes are gone from the storage answered
// a bare 500 on download. It answers 410 ATTACHMENT_CONTENT_MISSING, the
// operator is told (ChatLogger.error), and no download is recorded.
describe(`an attachment whose bytes are missing (${describeBackend()})`, () => {
  const logger = new CapturedLogger();
  const errors = () => logger.matching('error', /./);
  const testApp = givenChatSuite(
    {},
    {
      attachments: true,
      beforeStart: app => app.bind(ChatServiceBindings.LOGGER).to(logger),
    },
  );
  let owner: TestUser;
  let attachment: {id: string};

  beforeEach(async () => {
    logger.lines.splice(0);
    [owner] = await givenUsers(1);
    const {id} = await givenGroup(testApp.client, owner);
    attachment = await givenAttachment(testApp.client, owner, id);
    const [file] = storedFiles(testApp.storageDir);
    fs.rmSync(path.join(testApp.storageDir, file));
  });

  async function expectGone(res: {status: number; body: unknown}) {
    expect(res.status).to.equal(410);
    expect(JSON.parse(String(res.body))).to.eql({
      error: {
        statusCode: 410,
        name: 'GoneError',
        message: 'The content of this attachment is no longer available.',
        code: 'ATTACHMENT_CONTENT_MISSING',
      },
    });
    const downloads = await testDbQuery(
      'SELECT id FROM chat_attachment_downloads WHERE attachment_id = $1',
      [attachment.id],
    );
    expect(downloads).to.have.length(0);
  }

  it('answers 410 ATTACHMENT_CONTENT_MISSING, logs it and records no download', async () => {
    await expectGone(
      await downloadRequest(testApp.client, owner, attachment.id),
    );
    expect(errors()).to.have.length(1);
    expect(errors()[0]).to.match(
      new RegExp(`attachment ${attachment.id}.*missing`),
    );
  });

  it('logs a missing attachment once, however often it is asked for', async () => {
    for (let i = 0; i < 3; i++) {
      await expectGone(
        await downloadRequest(testApp.client, owner, attachment.id),
      );
    }
    expect(errors()).to.have.length(1);
  });

  it('answers a Range request the same', async () => {
    await expectGone(
      await downloadRequest(testApp.client, owner, attachment.id).set(
        'Range',
        'bytes=0-9',
      ),
    );
    expect(errors()).to.have.length(1);
  });

  it('still answers the metadata', async () => {
    await testApp.client
      .get(`/attachments/${attachment.id}`)
      .set('Authorization', owner.auth)
      .expect(200);
  });
});
