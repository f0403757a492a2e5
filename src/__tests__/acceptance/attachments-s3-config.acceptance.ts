import {expect} from '@loopback/testlab';
import {RestApplication} from '@loopback/rest';
import {
  ChatAttachmentsConfig,
  ChatServiceBindings,
  ChatServiceComponent,
  S3AttachmentStorage,
} from '../..';
import {closeChatDataSource, createChatDataSource} from '../../datasource';
import {
  describeBackend,
  givenChatSuite,
  givenS3Suite,
  testBackend,
  testDatabaseUrl,
} from '../fixtures';

// issue #14: `attachments.storage` picks the built-in storage; one that
// cannot work fails the application's start with a message naming the
// field, not the first upload.
describe(`attachments.storage 's3' configuration (${describeBackend()})`, () => {
  describe('a working one', () => {
    const s3 = givenS3Suite({}, {prefix: 'tenant-a/'});
    const testApp = givenChatSuite(s3.config);

    it('binds the S3 storage with its bucket and prefix', async () => {
      const storage = await testApp.app.get(
        ChatServiceBindings.ATTACHMENT_STORAGE,
      );
      expect(storage).to.be.instanceOf(S3AttachmentStorage);
      expect(storage).to.containDeep({
        bucket: s3.server.bucket,
        prefix: 'tenant-a/',
      });
    });
  });

  const broken: Array<[string, ChatAttachmentsConfig, RegExp]> = [
    ['no attachments.s3', {storage: 's3'}, /needs attachments\.s3\.bucket/],
    [
      'an empty bucket',
      {storage: 's3', s3: {bucket: ' '}},
      /needs attachments\.s3\.bucket/,
    ],
    [
      'an unknown storage',
      {storage: 'gcs' as 's3'},
      /attachments\.storage must be 'local' or 's3', got "gcs"/,
    ],
    [
      'an endpoint that is no URL',
      {storage: 's3', s3: {bucket: 'b', region: 'r', endpoint: 'minio:9000'}},
      /attachments\.s3\.endpoint must be an http\(s\) URL/,
    ],
    [
      'a prefix with a control character',
      {storage: 's3', s3: {bucket: 'b', region: 'r', prefix: 'a\nb'}},
      /attachments\.s3\.prefix must not contain control characters/,
    ],
  ];
  for (const [what, attachments, message] of broken) {
    it(`fails the start with ${what}`, async () => {
      const err = await startError(attachments);
      expect(err).to.containDeep({
        name: 'ChatConfigError',
        code: 'CHAT_CONFIG_INVALID',
      });
      expect(err.message).to.match(/^loopback4-chat-service: /);
      expect(err.message).to.match(message);
    });
  }

  describe('without a region anywhere', () => {
    // no AWS_REGION and no shared config file for the SDK to read
    const saved: Record<string, string | undefined> = {};
    const cleared = {
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: '/nonexistent/chat-test-aws-config',
    };
    before(() => {
      for (const [name, value] of Object.entries(cleared)) {
        saved[name] = process.env[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    after(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('fails the start, not the first upload', async () => {
      const err = await startError({storage: 's3', s3: {bucket: 'b'}});
      expect(err).to.containDeep({code: 'CHAT_CONFIG_INVALID'});
      expect(err.message).to.match(
        /^loopback4-chat-service: attachments\.s3\.region is not set/,
      );
    });
  });
});

/**
 * The error of starting a host with `attachments`. Its datasource never
 * connects: without the schema check, the storage's is the only observer
 * that initialises, and the start fails there.
 */
async function startError(
  attachments: ChatAttachmentsConfig,
): Promise<Error & {code?: string}> {
  const {orm} = testBackend();
  const app = new RestApplication({
    rest: {port: 0, host: '127.0.0.1', expressSettings: {}},
  });
  const dataSource = createChatDataSource({
    name: 'chatDb',
    orm,
    url: testDatabaseUrl(),
    lazyConnect: true,
  });
  app.bind('datasources.chatDb').to(dataSource);
  app.bind(ChatServiceBindings.CONFIG).to({orm, attachments});
  app.component(ChatServiceComponent);
  app.unbind(ChatServiceBindings.SCHEMA_CHECK);
  try {
    await app.start();
  } catch (err) {
    return err;
  } finally {
    await closeChatDataSource(dataSource);
  }
  await app.stop();
  throw new Error('The application started.');
}
