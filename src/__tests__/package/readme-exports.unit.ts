// Every name README's code imports from the package is one it exports.
import {expect} from '@loopback/testlab';
import fs from 'fs';
import path from 'path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The declarations of each entry point README's code imports from. */
const ENTRY_POINTS: Record<string, string> = {
  'loopback4-chat-service': 'dist/index.d.ts',
  'loopback4-chat-service/client': 'dist/client/index.d.ts',
  'loopback4-chat-service/sequelize': 'dist/sequelize.d.ts',
};

/** `{entry point: names}` of the `import {…} from '…'` in README's code. */
function readmeImports(readme: string): Map<string, Set<string>> {
  const imports = new Map<string, Set<string>>();
  const blocks = readme.match(/```(ts|js|html)\n[\s\S]*?```/g) ?? [];
  const statement =
    /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(loopback4-chat-service[^']*)'/g;
  for (const block of blocks) {
    for (const [, names, from] of block.matchAll(statement)) {
      const set = imports.get(from) ?? new Set<string>();
      for (const name of names.split(',')) {
        const bare = name
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0];
        if (bare) set.add(bare);
      }
      imports.set(from, set);
    }
  }
  return imports;
}

function exportedNames(declarations: string): Set<string> {
  const file = path.join(ROOT, declarations);
  const program = ts.createProgram([file], {noLib: true, types: []});
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return new Set(checker.getExportsOfModule(module).map(s => s.name));
}

describe('README', function (this: Mocha.Suite) {
  this.timeout(60000);

  it('imports only names the package exports', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const imports = readmeImports(readme);
    expect([...imports.keys()]).to.containEql('loopback4-chat-service');
    const missing: string[] = [];
    for (const [from, names] of imports) {
      expect(Object.keys(ENTRY_POINTS)).to.containEql(from);
      const exported = exportedNames(ENTRY_POINTS[from]);
      for (const name of names) {
        if (!exported.has(name)) missing.push(`${name} from '${from}'`);
      }
    }
    expect(missing).to.deepEqual([]);
  });
});
