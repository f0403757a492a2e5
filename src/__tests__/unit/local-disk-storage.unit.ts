import {expect} from '@loopback/testlab';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {LocalDiskAttachmentStorage} from '../..';

describe('LocalDiskAttachmentStorage (unit)', () => {
  let root: string;
  let storage: LocalDiskAttachmentStorage;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-storage-unit-'));
    // a directory that does not exist yet
    storage = new LocalDiskAttachmentStorage(
      path.join(root, 'files', 'nested'),
    );
  });
  afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

  const KEY = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

  function files(dir = root): string[] {
    return fs
      .readdirSync(dir, {withFileTypes: true})
      .flatMap(e =>
        e.isDirectory()
          ? files(path.join(dir, e.name))
          : [path.relative(root, path.join(dir, e.name))],
      );
  }

  async function readAll(stream: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  it('creates its directory and stores bytes under a sharded key', async () => {
    await storage.write(KEY, Readable.from([Buffer.from('hello '), 'world']));
    expect(files()).to.eql([path.join('files', 'nested', '5f', KEY)]);
    expect((await readAll(await storage.read(KEY))).toString()).to.equal(
      'hello world',
    );
  });

  it('reads an inclusive byte range', async () => {
    await storage.write(KEY, Readable.from([Buffer.from('0123456789')]));
    const part = await storage.read(KEY, {start: 2, end: 5});
    expect((await readAll(part)).toString()).to.equal('2345');
  });

  it('leaves nothing when the content fails', async () => {
    const failing = new Readable({read() {}});
    failing.on('error', () => {}); // observed through the rejection
    const writing = storage.write(KEY, failing);
    failing.push(Buffer.alloc(1000));
    setImmediate(() => failing.destroy(new Error('boom')));
    await expect(writing).to.be.rejectedWith('boom');
    expect(files()).to.eql([]);
    await expect(storage.read(KEY)).to.be.rejectedWith(/ENOENT/);
  });

  it('removes a key, and a missing key without error', async () => {
    await storage.write(KEY, Readable.from([Buffer.from('x')]));
    await storage.remove(KEY);
    await storage.remove(KEY);
    expect(files()).to.eql([]);
  });

  it('refuses keys that could name a path', async () => {
    for (const key of ['../x', 'a/b', '..', '', '.hidden', 'x\\y']) {
      await expect(storage.read(key)).to.be.rejectedWith(/Not a storage key/);
      await expect(
        storage.write(key, Readable.from([Buffer.from('x')])),
      ).to.be.rejectedWith(/Not a storage key/);
    }
    expect(files()).to.eql([]);
  });
});
