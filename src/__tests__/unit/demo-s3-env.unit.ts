import {expect} from '@loopback/testlab';
import path from 'node:path';
import {parseAttachmentDir, parseS3Settings} from '../../demo/env';
import {packageRoot} from '../../migrate/connection';

describe('demo attachment storage environment (unit)', () => {
  it('keeps local files in CHAT_ATTACHMENT_DIR, else .data/attachments', () => {
    expect(parseAttachmentDir({CHAT_ATTACHMENT_DIR: 'files'})).to.equal(
      path.resolve('files'),
    );
    expect(parseAttachmentDir({})).to.equal(
      path.join(packageRoot(), '.data', 'attachments'),
    );
  });

  it('keeps attachments on local disk without CHAT_S3_BUCKET', () => {
    expect(
      parseS3Settings({CHAT_S3_ENDPOINT: 'http://x:9000'}),
    ).to.be.undefined();
  });

  it('uses AWS S3 in us-east-1 with only a bucket', () => {
    expect(parseS3Settings({CHAT_S3_BUCKET: 'chat-files'})).to.eql({
      bucket: 'chat-files',
      region: 'us-east-1',
      endpoint: undefined,
      prefix: undefined,
      forcePathStyle: undefined,
    });
  });

  it('takes the endpoint (path-style), prefix and AWS_REGION', () => {
    expect(
      parseS3Settings({
        CHAT_S3_BUCKET: 'chat-files',
        CHAT_S3_ENDPOINT: 'http://minio:9000',
        CHAT_S3_PREFIX: 'chat/',
        AWS_REGION: 'eu-west-1',
      }),
    ).to.eql({
      bucket: 'chat-files',
      region: 'eu-west-1',
      endpoint: 'http://minio:9000',
      prefix: 'chat/',
      forcePathStyle: true,
    });
  });
});
