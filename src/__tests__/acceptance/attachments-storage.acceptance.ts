import {expect} from '@loopback/testlab';
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import {Readable} from 'node:stream';
import {
  AttachmentStorage,
  ByteRange,
  ChatServiceBindings,
  LocalDiskAttachmentStorage,
} from '../..';
import {
  downloadRequest,
  givenAttachment,
  givenAttachmentTestApp,
  givenGroup,
  givenUsers,
  stopAttachmentTestApp,
  storedFiles,
  uploadRequest,
  givenChatSuite,
  eventually,
} from '../fixtures';

/** A host's own storage: bytes in a Map. */
class MemoryStorage implements AttachmentStorage {
  readonly files = new Map<string, Buffer>();

  async write(key: string, content: Readable): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    this.files.set(key, Buffer.concat(chunks));
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const bytes = this.files.get(key);
    if (!bytes) throw new Error(`no ${key}`);
    return Readable.from([
      range ? bytes.subarray(range.start, range.end + 1) : bytes,
    ]);
  }

  async remove(key: string): Promise<void> {
    this.files.delete(key);
  }
}

describe('attachment storage provider', () => {
  const testApp = givenChatSuite({}, {attachments: true});

  it('is local disk in the configured directory by default', async () => {
    const storage = await testApp.app.get(
      ChatServiceBindings.ATTACHMENT_STORAGE,
    );
    expect(storage).to.be.instanceOf(LocalDiskAttachmentStorage);
    expect((storage as LocalDiskAttachmentStorage).directory).to.equal(
      testApp.storageDir,
    );
  });

  it("can be replaced by the host's own", async () => {
    const other = await givenAttachmentTestApp();
    try {
      const memory = new MemoryStorage();
      other.app.bind(ChatServiceBindings.ATTACHMENT_STORAGE).to(memory);
      const [owner, member] = await givenUsers(2);
      const conversationId = (await givenGroup(other.client, owner, [member]))
        .id;
      const content = randomBytes(5000);
      const attachment = await givenAttachment(
        other.client,
        owner,
        conversationId,
        {content},
      );
      expect([...memory.files.values()]).to.eql([content]);
      expect(storedFiles(other.storageDir)).to.eql([]);
      const whole = await downloadRequest(other.client, member, attachment.id);
      expect((whole.body as Buffer).equals(content)).to.be.true();
      const part = await downloadRequest(
        other.client,
        member,
        attachment.id,
      ).set('Range', 'bytes=10-19');
      expect(part.status).to.equal(206);
      expect(
        (part.body as Buffer).equals(content.subarray(10, 20)),
      ).to.be.true();
      // a rejected upload leaves nothing in it either
      await uploadRequest(other.client, owner, conversationId, {
        content: randomBytes(10),
        contentType: 'text/html',
      }).expect(415);
      expect(memory.files.size).to.equal(1);
    } finally {
      await stopAttachmentTestApp(other);
    }
  });

  it('records the bytes actually sent when the client leaves early', async () => {
    const {client} = testApp;
    const [owner] = await givenUsers(1);
    const conversationId = (await givenGroup(client, owner)).id;
    const size = 16 * 1024 * 1024;
    const attachment = await givenAttachment(client, owner, conversationId, {
      content: randomBytes(size),
      contentType: 'video/mp4',
    });
    await abortAfterFirstChunk(
      `/attachments/${attachment.id}/content`,
      owner.auth,
    );
    let bytes = 0;
    await eventually(async () => {
      const res = await client
        .get(`/attachments/${attachment.id}/downloads`)
        .set('Authorization', owner.auth)
        .expect(200);
      bytes = res.body.items[0]?.bytes ?? size;
      return bytes < size;
    }, 'the audit shows the shortened download');
    expect(bytes).to.be.above(0);
    expect(bytes).to.be.below(size);
  });

  /** GETs `path`, reads one chunk of the body and closes the connection. */
  function abortAfterFirstChunk(path: string, auth: string): Promise<void> {
    const url = new URL(path, testApp.app.restServer.url);
    return new Promise((resolve, reject) => {
      const req = http.get(url, {headers: {Authorization: auth}}, res => {
        expect(res.statusCode).to.equal(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', err => {
        if (!req.destroyed) reject(err);
      });
    });
  }
});
