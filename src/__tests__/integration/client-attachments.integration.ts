import {expect} from '@loopback/testlab';
import {createHash, randomBytes} from 'crypto';
import {ChatClient, ChatEvent} from '../../client';
import {
  clientFor,
  givenUsers,
  TestUser,
  givenChatSuite,
  eventually,
} from '../fixtures';

describe('client: attachments, typing, sync and events (integration)', () => {
  const testApp = givenChatSuite({}, {attachments: true});
  let alice: TestUser, bob: TestUser;
  let asAlice: ChatClient, asBob: ChatClient;
  let conversationId: string;
  beforeEach(async () => {
    [alice, bob] = await givenUsers(2);
    asAlice = clientFor(testApp, alice);
    asBob = clientFor(testApp, bob);
    conversationId = (await asAlice.direct(bob.id)).id;
  });

  it('uploads, sends, downloads (whole and a range) and audits a file', async () => {
    const bytes = randomBytes(70_000);
    const file = new Blob([bytes], {type: 'image/png'});
    const uploaded = await asAlice.uploadAttachment(
      conversationId,
      file,
      'façade.png',
    );
    expect(uploaded).to.containDeep({
      fileName: 'façade.png',
      contentType: 'image/png',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      messageId: null,
    });
    const message = await asAlice.sendMessage(conversationId, {
      attachmentIds: [uploaded.id],
    });
    expect(message.attachments.map(a => a.id)).to.eql([uploaded.id]);
    expect((await asBob.getAttachment(uploaded.id)).messageId).to.equal(
      message.id,
    );

    const whole = await asBob.downloadAttachment(uploaded.id);
    expect(whole).to.containDeep({
      status: 200,
      fileName: 'façade.png',
      contentType: 'image/png',
    });
    expect(Buffer.from(await whole.blob.arrayBuffer())).to.eql(bytes);
    const part = await asBob.downloadAttachment(uploaded.id, {
      range: 'bytes=10-19',
    });
    expect(part.status).to.equal(206);
    expect(part.contentRange).to.equal(`bytes 10-19/${bytes.length}`);
    expect(Buffer.from(await part.blob.arrayBuffer())).to.eql(
      bytes.subarray(10, 20),
    );

    const audit = await asAlice.listDownloads(uploaded.id, {limit: 1});
    expect(audit.items).to.have.length(1);
    expect(audit.items[0]).to.containDeep({
      userId: bob.id,
      range: 'bytes=10-19',
    });
    expect(audit.nextCursor).to.be.a.String();
  });

  it('downloads a range given as {start, end?}', async () => {
    const bytes = randomBytes(1000);
    const uploaded = await asAlice.uploadAttachment(
      conversationId,
      new Blob([bytes], {type: 'image/png'}),
      'range.png',
    );
    const part = await asAlice.downloadAttachment(uploaded.id, {
      range: {start: 10, end: 19},
    });
    expect(part).to.containDeep({
      status: 206,
      contentRange: `bytes 10-19/${bytes.length}`,
    });
    expect(Buffer.from(await part.blob.arrayBuffer())).to.eql(
      bytes.subarray(10, 20),
    );
    const tail = await asAlice.downloadAttachment(uploaded.id, {
      range: {start: bytes.length - 4},
    });
    expect(tail.contentRange).to.equal(
      `bytes ${bytes.length - 4}-${bytes.length - 1}/${bytes.length}`,
    );
    expect(Buffer.from(await tail.blob.arrayBuffer())).to.eql(
      bytes.subarray(bytes.length - 4),
    );
  });

  it('refuses a {start, end} range that is no byte range before sending', async () => {
    const uploaded = await asAlice.uploadAttachment(
      conversationId,
      new Blob([randomBytes(1000)], {type: 'image/png'}),
      'bad-range.png',
    );
    for (const [range, message] of [
      [
        {start: -1},
        'range.start must be a byte offset (an integer >= 0), got -1.',
      ],
      [
        {start: 1.5},
        'range.start must be a byte offset (an integer >= 0), got 1.5.',
      ],
      [
        {start: 10, end: 9},
        'range.end must be a byte offset at or after range.start (10), got 9.',
      ],
    ] as const) {
      await expect(
        asAlice.downloadAttachment(uploaded.id, {range}),
      ).to.be.rejectedWith(RangeError, {message});
    }
    const audit = await asAlice.listDownloads(uploaded.id);
    expect(audit.items).to.eql([]);
  });

  it('answers the events as JSON pages with sync', async () => {
    const first = await asBob.sync({limit: 1000});
    await asAlice.sendMessage(conversationId, {body: 'hi'});
    const page = await asBob.sync({since: first.nextCursor});
    expect(page.items.map(e => e.type)).to.eql(['message.created']);
    const [event] = page.items;
    if (event.type !== 'message.created') throw new Error('not narrowed');
    expect(event.message.body).to.equal('hi');
    expect(page.nextCursor).to.equal(String(event.id));
  });

  it('streams typed events, typing included', async () => {
    const stream = asBob.events();
    const received: ChatEvent[] = [];
    stream.onEvent(e => {
      if (e.type !== 'presence') received.push(e);
    });
    const typing: boolean[] = [];
    stream.on('typing', e => typing.push(e.typing));
    try {
      await stream.opened();
      await asAlice.typing(conversationId, true);
      await asAlice.sendMessage(conversationId, {body: 'typed'});
      await eventually(() => received.length >= 2, 'typing and message');
      expect(typing).to.eql([true]);
      const [typed, created] = received;
      expect(typed).to.containDeep({
        type: 'typing',
        userId: alice.id,
        id: null,
      });
      expect(created).to.containDeep({
        type: 'message.created',
        conversationId,
        message: {body: 'typed', senderId: alice.id},
      });
      expect(stream.lastEventId).to.equal(String(created.id));
    } finally {
      stream.close();
    }
    expect(stream.state).to.equal('closed');
  });
});
