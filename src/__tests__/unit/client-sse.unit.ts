import {expect} from '@loopback/testlab';
import {randomFillSync} from 'crypto';
import {fileNameOf, randomId, SseParser} from '../../client';

describe('client: SseParser (unit)', () => {
  it('parses frames split anywhere, across CRLF line ends too', () => {
    const text =
      'retry: 3000\r\n\r\n: keep-alive\r\n\r\n' +
      'id: 7\r\nevent: message.created\r\ndata: {"a":1}\r\n\r\n' +
      'id: 8\nevent: read.updated\ndata: {"b":2}\n\n';
    // every split point, byte by byte, answers the same frames
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const frames = [
        ...parser.feed(text.slice(0, cut)),
        ...parser.feed(text.slice(cut)),
      ];
      expect(frames).to.eql([
        {id: '7', event: 'message.created', data: '{"a":1}'},
        {id: '8', event: 'read.updated', data: '{"b":2}'},
      ]);
      expect(parser.retryMs).to.equal(3000);
    }
  });

  it('joins data lines, defaults the type and keeps frames without id apart', () => {
    const parser = new SseParser();
    const frames = parser.feed(
      'data: one\ndata:two\n\nevent: typing\ndata: {}\n\nid: 9\n\n',
    );
    expect(frames).to.eql([
      {event: 'message', data: 'one\ntwo'},
      {event: 'typing', data: '{}'},
    ]);
  });

  it('waits for the end of a line that ends in CR', () => {
    const parser = new SseParser();
    expect(parser.feed('data: x\r')).to.eql([]);
    expect(parser.feed('\n\r\n')).to.eql([{event: 'message', data: 'x'}]);
  });
});

describe('client: helpers (unit)', () => {
  it('reads file names from Content-Disposition', () => {
    expect(
      fileNameOf(
        `attachment; filename="fa_ade.pdf"; filename*=UTF-8''fa%C3%A7ade.pdf`,
      ),
    ).to.equal('façade.pdf');
    expect(fileNameOf('attachment; filename="a \\"b\\".txt"')).to.equal(
      'a "b".txt',
    );
    expect(fileNameOf('attachment; filename=plain.txt')).to.equal('plain.txt');
    expect(fileNameOf(null)).to.be.null();
  });

  it('generates v4 UUIDs for clientMessageId, with or without randomUUID', () => {
    const uuid =
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    // a page over plain HTTP has getRandomValues but no randomUUID
    const insecure = {getRandomValues: (a: Uint8Array) => randomFillSync(a)};
    for (const source of [undefined, insecure]) {
      const ids = new Set(Array.from({length: 100}, () => randomId(source)));
      expect(ids.size).to.equal(100);
      for (const id of ids) expect(id).to.match(uuid);
    }
  });
});
