import {expect} from '@loopback/testlab';
import {isNestedDeeperThan} from '../..';

const deeper = (text: string, max: number) =>
  isNestedDeeperThan(Buffer.from(text, 'utf8'), max);

describe('isNestedDeeperThan (unit)', () => {
  it('counts arrays and objects, up to and past the bound', () => {
    expect(deeper('[[1]]', 2)).to.be.false();
    expect(deeper('[[[1]]]', 2)).to.be.true();
    expect(deeper('{"a":{"b":[1]}}', 3)).to.be.false();
    expect(deeper('{"a":{"b":[1]}}', 2)).to.be.true();
    expect(deeper('[[1],[2],[3]]', 2)).to.be.false();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(deeper('["[[[[", "{{{{"]', 1)).to.be.false();
    expect(deeper('["a\\"[[[[", "\\\\"]', 1)).to.be.false();
    expect(deeper('["\\\\", [[1]]]', 2)).to.be.true();
    expect(deeper('{"k😀[":"é{"}', 1)).to.be.false();
  });

  it('scans 500,000 nested arrays without recursion', () => {
    const text = '['.repeat(500_000) + '1' + ']'.repeat(500_000);
    expect(deeper(text, 64)).to.be.true();
    expect(deeper(text, 500_000)).to.be.false();
  });
});
