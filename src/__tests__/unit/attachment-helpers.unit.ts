import {expect} from '@loopback/testlab';
import {
  contentDisposition,
  isAllowedContentType,
  parseByteRange,
  safeFileName,
} from '../..';

describe('safeFileName (unit)', () => {
  it('keeps only the base name', () => {
    expect(safeFileName('../../etc/passwd')).to.equal('passwd');
    expect(safeFileName('C:\\Users\\me\\report.pdf')).to.equal('report.pdf');
    expect(safeFileName('a/b\\c/d.txt')).to.equal('d.txt');
  });

  it('answers "file" for names that reduce to nothing', () => {
    for (const name of [
      undefined,
      '',
      '   ',
      '.',
      '..',
      'x/',
      'x/..',
      '\u0000',
    ]) {
      expect(safeFileName(name)).to.equal('file');
    }
  });

  it('removes control and bidirectional characters, keeps other Unicode', () => {
    expect(safeFileName('a\u0000b\tc\nd\u007f\u0085.txt')).to.equal('abcd.txt');
    expect(safeFileName('invoice\u202Efdp.exe')).to.equal('invoicefdp.exe');
    expect(safeFileName('Привет мир 👋.png')).to.equal('Привет мир 👋.png');
    expect(safeFileName('x\ud800y.txt')).to.equal('xy.txt');
  });

  it('shortens long names to 255 characters, keeping the extension', () => {
    const name = `${'ä'.repeat(300)}.docx`;
    const safe = safeFileName(name);
    expect([...safe]).to.have.length(255);
    expect(safe.endsWith('ä.docx')).to.be.true();
    const emoji = safeFileName('😀'.repeat(300));
    expect([...emoji]).to.have.length(255);
    expect(/\p{Cs}/u.test(emoji)).to.be.false();
  });
});

describe('contentDisposition (unit)', () => {
  it('gives an ASCII filename and the exact name in filename*', () => {
    expect(contentDisposition('report.pdf')).to.equal(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
    expect(contentDisposition('Café "ß" 100%.txt')).to.equal(
      'attachment; filename="Cafe ___ 100_.txt"; ' +
        "filename*=UTF-8''Caf%C3%A9%20%22%C3%9F%22%20100%25.txt",
    );
  });

  it("encodes RFC 5987's excluded characters and non-BMP ones", () => {
    expect(contentDisposition("it's (1)*.txt")).to.equal(
      `attachment; filename="it's (1)*.txt"; ` +
        "filename*=UTF-8''it%27s%20%281%29%2A.txt",
    );
    expect(contentDisposition('📎\\.txt')).to.equal(
      `attachment; filename="__.txt"; filename*=UTF-8''%F0%9F%93%8E%5C.txt`,
    );
  });
});

describe('isAllowedContentType (unit)', () => {
  it('matches exact types, whole types and everything', () => {
    const patterns = ['image/*', 'application/pdf'];
    expect(isAllowedContentType('image/png', patterns)).to.be.true();
    expect(isAllowedContentType('application/pdf', patterns)).to.be.true();
    expect(isAllowedContentType('application/pdfx', patterns)).to.be.false();
    expect(isAllowedContentType('imagex/png', patterns)).to.be.false();
    expect(isAllowedContentType('text/html', patterns)).to.be.false();
    expect(isAllowedContentType('text/html', ['*/*'])).to.be.true();
    expect(isAllowedContentType('text/html', ['Text/HTML'])).to.be.true();
  });
});

describe('parseByteRange (unit)', () => {
  it('answers the range to serve', () => {
    expect(parseByteRange('bytes=0-9', 100)).to.eql({start: 0, end: 9});
    expect(parseByteRange('bytes=90-', 100)).to.eql({start: 90, end: 99});
    expect(parseByteRange('bytes=-5', 100)).to.eql({start: 95, end: 99});
    expect(parseByteRange('bytes=-500', 100)).to.eql({start: 0, end: 99});
    expect(parseByteRange('bytes=50-5000', 100)).to.eql({start: 50, end: 99});
    expect(parseByteRange('BYTES = 1 - 2', 100)).to.eql({start: 1, end: 2});
  });

  it('answers unsatisfiable past the end', () => {
    for (const header of ['bytes=100-', 'bytes=100-200', 'bytes=-0']) {
      expect(parseByteRange(header, 100)).to.equal('unsatisfiable');
    }
    expect(parseByteRange('bytes=0-', 0)).to.equal('unsatisfiable');
    expect(parseByteRange('bytes=-1', 0)).to.equal('unsatisfiable');
  });

  it('ignores what it does not serve: the whole file instead', () => {
    const ignored = [
      undefined,
      '',
      'bytes=',
      'bytes=-',
      'bytes=9-1',
      'bytes=0-1,3-4',
      'items=0-1',
      'bytes=a-b',
    ];
    for (const header of ignored) {
      expect(parseByteRange(header, 100)).to.be.undefined();
    }
  });
});
