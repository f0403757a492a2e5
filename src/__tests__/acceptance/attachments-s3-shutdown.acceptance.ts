import {expect} from '@loopback/testlab';
import {ChatServiceBindings, S3_PART_SIZE} from '../..';
import {
  describeBackend,
  eventually,
  givenGroup,
  givenS3Suite,
  givenTestApp,
  givenUsers,
  StreamingUpload,
  stopTestApp,
  TestApp,
  truncateChatTables,
} from '../fixtures';

// issue #14: an instance that stops while an upload to S3 streams through it
// finishes that upload (the REST server waits for requests in flight) before
// it lets go of its S3 client.
describe(`attachments in S3 while the application stops (${describeBackend()})`, function (this: Mocha.Suite) {
  this.timeout(60000);
  const s3 = givenS3Suite({attachments: {maxBytes: 2 * S3_PART_SIZE}});
  let testApp: TestApp | undefined;

  beforeEach(truncateChatTables);
  beforeEach(async () => {
    // as a host sets it: the server waits this long for requests in flight
    testApp = await givenTestApp(s3.config, {gracePeriodForClose: 20000});
  });
  afterEach(async () => {
    await stopTestApp(testApp);
    testApp = undefined;
  });

  it('finishes an upload in flight, stored and recorded, before the S3 client closes', async () => {
    const {app, client} = testApp!;
    const [owner, member] = await givenUsers(2);
    const conversationId = (await givenGroup(client, owner, [member])).id;
    const url = new URL(
      `/conversations/${conversationId}/attachments`,
      app.restServer.url,
    );
    const objects = s3.server.objectKeys();
    const before = s3.server.requests().length;
    const upload = new StreamingUpload(url, owner.auth);
    await upload.send(S3_PART_SIZE + 512 * 1024);
    await eventually(
      () =>
        s3.server
          .requests()
          .slice(before)
          .some(c => /partNumber=1\b.* 200$/.test(c)),
      'the first part reached S3',
    );

    const health = await app.get(ChatServiceBindings.HEALTH);
    const stopped = app.stop();
    await eventually(
      async () => (await health.check()).status === 'draining',
      'the instance draining',
    );
    await upload.send(256 * 1024);
    const outcome = await upload.finish();
    await stopped;

    expect(outcome.status).to.equal(201);
    const attachment = JSON.parse(outcome.body!) as {id: string; size: number};
    expect(attachment.size).to.equal(S3_PART_SIZE + 768 * 1024);
    expect(s3.server.objectKeys()).to.have.length(objects.length + 1);
  });
});
