import {S3Client} from '@aws-sdk/client-s3';
import {expect} from '@loopback/testlab';
import {createHash, randomBytes, randomUUID} from 'node:crypto';
import {Readable} from 'node:stream';
import {S3_PART_SIZE, S3AttachmentStorage} from '../..';
import {
  CapturedLogger,
  eventually,
  startS3Server,
  TestS3Server,
} from '../fixtures';

// The built-in S3 storage against a real S3-protocol server (s3rver on a
// loopback port) through the real AWS SDK over HTTP.
describe('S3AttachmentStorage (integration)', function (this: Mocha.Suite) {
  this.timeout(30000);
  const PREFIX = 'chat/files/';
  let server: TestS3Server;
  let client: S3Client;
  let storage: S3AttachmentStorage;
  const logger = new CapturedLogger();

  before(async () => {
    server = await startS3Server();
    client = new S3Client({
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
    });
    storage = new S3AttachmentStorage({
      client,
      bucket: server.bucket,
      prefix: PREFIX,
      logger,
    });
  });
  after(async () => {
    client?.destroy();
    await server?.stop();
  });

  let key: string;
  beforeEach(() => {
    key = randomUUID();
    logger.lines.splice(0);
  });

  it('stores the bytes under <prefix><key> and reads them back', async () => {
    await storage.write(key, Readable.from([Buffer.from('hello '), 'world']));
    expect(server.objectKeys()).to.containEql(PREFIX + key);
    expect((await readAll(await storage.read(key))).toString()).to.equal(
      'hello world',
    );
  });

  it('reads an inclusive byte range with a ranged GET', async () => {
    await storage.write(key, Readable.from([Buffer.from('0123456789')]));
    const part = await storage.read(key, {start: 2, end: 5});
    expect((await readAll(part)).toString()).to.equal('2345');
    expect(server.requests()).to.containEql(
      `GET /${server.bucket}/${PREFIX}${key}?x-id=GetObject 206`,
    );
  });

  it('removes a key, and a missing key without error', async () => {
    await storage.write(key, Readable.from([Buffer.from('x')]));
    await storage.remove(key);
    await storage.remove(key);
    expect(server.objectKeys()).to.not.containEql(PREFIX + key);
  });

  it('rejects a missing key with NoSuchKey, whole or ranged', async () => {
    await expect(storage.read(key)).to.be.rejectedWith({name: 'NoSuchKey'});
    await expect(storage.read(key, {start: 0, end: 9})).to.be.rejectedWith({
      name: 'NoSuchKey',
    });
  });

  it('streams a file of several parts through a multipart upload', async () => {
    const size = 2 * S3_PART_SIZE + 12345;
    const content = randomBytes(size);
    await storage.write(key, chunked(content, 64 * 1024));
    const stored = await readAll(await storage.read(key));
    expect(stored.length).to.equal(size);
    expect(sha256(stored)).to.equal(sha256(content));
    const parts = server
      .requests()
      .filter(r => r.startsWith(`PUT /${server.bucket}/${PREFIX}${key}?`))
      .filter(r => /partNumber=\d+/.test(r));
    expect(parts).to.have.length(3);
  });

  it('counts the bytes itself, whatever properties the stream has', async () => {
    // lib-storage would take `size` for the byte count (the upload meter
    // has one) and refuse to complete the upload
    const content = randomBytes(S3_PART_SIZE + 1024);
    const source = Object.assign(chunked(content, 64 * 1024), {size: 0});
    await storage.write(key, source);
    const stored = await readAll(await storage.read(key));
    expect(sha256(stored)).to.equal(sha256(content));
  });

  it('reads the part size before sending, never the whole file', async () => {
    // a source that waits for the first part to reach the server before
    // it yields the rest: a storage that buffered the file would hang
    const partSent = () =>
      server
        .requests()
        .some(r => r.includes(`${PREFIX}${key}?`) && /partNumber=1\b/.test(r));
    const source = Readable.from(
      (async function* () {
        yield randomBytes(S3_PART_SIZE);
        yield randomBytes(1024);
        await eventually(partSent, 'the first part reached the server');
        yield randomBytes(S3_PART_SIZE);
      })(),
    );
    await storage.write(key, source);
    expect(server.objectKeys()).to.containEql(PREFIX + key);
  });

  for (const [what, before] of [
    ['a small file', 1000],
    ['a multipart upload', S3_PART_SIZE + 1024],
  ] as const) {
    it(`leaves nothing when the content fails (${what})`, async () => {
      const failing = new Readable({read() {}});
      failing.on('error', () => {}); // observed through the rejection
      const writing = storage.write(key, failing);
      failing.push(randomBytes(before));
      setImmediate(() => failing.destroy(new Error('client went away')));
      await expect(writing).to.be.rejectedWith('client went away');
      expect(server.objectKeys()).to.not.containEql(PREFIX + key);
      // the object of the failed upload was deleted, not just never made
      expect(server.requests()).to.containEql(
        `DELETE /${server.bucket}/${PREFIX}${key}?x-id=DeleteObject 204`,
      );
    });
  }

  it('refuses keys the component could not have made', async () => {
    for (const bad of ['../x', 'a/b', '', '.hidden']) {
      await expect(storage.read(bad)).to.be.rejectedWith(/Not a storage key/);
      await expect(
        storage.write(bad, Readable.from([Buffer.from('x')])),
      ).to.be.rejectedWith(/Not a storage key/);
    }
  });

  it('rejects, not hangs, when the server is gone', async () => {
    const other = await startS3Server('chat-test-gone');
    const gone = new S3AttachmentStorage({
      client: new S3Client({
        region: other.region,
        endpoint: other.endpoint,
        forcePathStyle: true,
        credentials: other.credentials,
        maxAttempts: 1,
      }),
      bucket: other.bucket,
    });
    await other.stop();
    const writing = gone.write(key, Readable.from([Buffer.from('x')]));
    await expect(writing).to.be.rejectedWith({code: 'ECONNREFUSED'});
    const reading = gone.read(key);
    await expect(reading).to.be.rejected();
    await reading.catch(err => expect(err.name).to.not.equal('NoSuchKey'));
    gone.close();
  });
});

/** `content` as a stream of `size`-byte chunks, made as it is read. */
function chunked(content: Buffer, size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= content.length) {
        this.push(null);
        return;
      }
      this.push(content.subarray(offset, offset + size));
      offset += size;
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
