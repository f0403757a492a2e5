// What `npm pack` would publish: what a host runs, nothing else.
import {expect} from '@loopback/testlab';
import {spawnSync} from 'child_process';
import fs from 'fs';
import path from 'path';
import {pathToFileURL} from 'url';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface PackageJson {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
}

describe('the package tarball', function (this: Mocha.Suite) {
  this.timeout(60000);
  let files: Set<string>;
  let pkg: PackageJson;

  before(() => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(pack.status).to.equal(0);
    const [{files: packed}] = JSON.parse(pack.stdout) as {
      files: {path: string}[];
    }[];
    files = new Set(packed.map(f => f.path));
    pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  });

  it('leaves out the demo, the tests and the benchmarks', () => {
    const unwanted = [...files].filter(f =>
      /^(dist|src)\/(demo|__tests__|__benchmarks__)\//.test(f),
    );
    expect(unwanted).to.deepEqual([]);
    expect([...files].filter(f => /tsconfig|tsbuildinfo/.test(f))).to.deepEqual(
      [],
    );
  });

  it('ships the source of every source map, and the map of every file', () => {
    const missing: string[] = [];
    for (const file of files) {
      if (file.endsWith('.js.map')) {
        const map = JSON.parse(read(file)) as {sources: string[]};
        for (const source of map.sources) {
          const shipped = path.posix.join(path.posix.dirname(file), source);
          if (!files.has(shipped)) missing.push(`${file} -> ${shipped}`);
        }
      } else if (file.endsWith('.js')) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(file))?.[1];
        if (!url) continue;
        const map = path.posix.join(path.posix.dirname(file), url);
        if (!files.has(map)) missing.push(`${file} -> ${map}`);
      }
    }
    expect(missing).to.deepEqual([]);
  });

  it('holds both migration sets', () => {
    for (const folder of ['migrations', 'migrations-mysql']) {
      const inFolder = [...files].filter(f => f.startsWith(`${folder}/`));
      expect(inFolder.filter(f => f.endsWith('.js')).length).to.be.above(0);
      expect(inFolder.filter(f => f.endsWith('.sql')).length).to.be.above(0);
      // every migration file and its SQL files
      const onDisk = listFiles(path.join(ROOT, folder)).map(f =>
        path.posix.join(folder, f),
      );
      expect(inFolder.sort()).to.deepEqual(onDisk.sort());
    }
  });

  it('holds every file package.json points at', () => {
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin)];
    collectTargets(pkg.exports, targets);
    const missing = targets
      .map(t => t.replace(/^\.\//, ''))
      .filter(t => !files.has(t));
    expect(missing).to.deepEqual([]);
  });

  it("exports the client's ES-module build to `import`, its CommonJS one to `require`", () => {
    const client = pkg.exports['./client'] as Record<string, string>;
    expect(client).to.containDeep({
      import: './dist/client/esm/index.js',
      require: './dist/client/index.js',
    });
    expect(files.has('dist/client/esm/package.json')).to.be.true();
    // node loads the ESM build as an ES module (a child process: this
    // compiled test's `import()` would become `require()`)
    const url = pathToFileURL(path.join(ROOT, client.import)).href;
    const loaded = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('${url}'); console.log(typeof m.ChatClient);`,
      ],
      {encoding: 'utf8'},
    );
    expect(loaded.stderr).to.equal('');
    expect(loaded.stdout.trim()).to.equal('function');
  });
});

function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
    const name = path.posix.join(prefix, entry.name);
    return entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), name)
      : [name];
  });
}

/** Every path in an `exports` map, whatever its conditions. */
function collectTargets(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collectTargets(v, into);
  }
}
