import {expect} from '@loopback/testlab';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ChatServiceBindings} from '../..';

const README = path.resolve(__dirname, '../../../README.md');

describe('README binding keys (unit)', () => {
  it('documents every key of ChatServiceBindings, and no other', () => {
    const documented = tableKeys(section(readFileSync(README, 'utf8')));
    expect(documented.sort()).to.eql(Object.keys(ChatServiceBindings).sort());
  });

  it('finds a row per key in a table it is given', () => {
    const text =
      '| key | holds |\n| --- | --- |\n| `A_KEY` | x |\n| `B` | y |\n';
    expect(tableKeys(text)).to.eql(['A_KEY', 'B']);
  });
});

/** The text of README's "## Binding keys" section. */
function section(readme: string): string {
  const start = readme.indexOf('\n## Binding keys\n');
  expect(start).to.be.above(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The keys named in the first column of the section's table rows. */
function tableKeys(text: string): string[] {
  return [...text.matchAll(/^\| `([A-Z][A-Z_]*)` +\|/gm)].map(m => m[1]);
}
