import {expect} from '@loopback/testlab';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '../../../src');

type Layer =
  | 'domain'
  | 'keys'
  | 'models'
  | 'repositories'
  | 'providers'
  | 'realtime'
  | 'services'
  | 'rest'
  | 'controllers'
  | 'component'
  | 'host'
  | 'migrate'
  | 'client';

/**
 * THE RULE: the layers each layer may import (besides its own). Bottom to
 * top; every arrow points down. README's "Code layout" explains it.
 * `keys` is the one exception: it may `import type` from any layer (a
 * binding key names the type it holds); its runtime imports obey the table.
 */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  domain: [],
  keys: ['domain'],
  models: ['keys', 'domain'],
  repositories: ['models', 'keys', 'domain'],
  providers: ['keys', 'domain'],
  realtime: ['repositories', 'providers', 'models', 'keys', 'domain'],
  services: [
    'migrate',
    'realtime',
    'repositories',
    'providers',
    'models',
    'keys',
    'domain',
  ],
  rest: ['services', 'providers', 'keys', 'domain'],
  controllers: [
    'rest',
    'services',
    'realtime',
    'providers',
    'models',
    'keys',
    'domain',
  ],
  component: [
    'migrate',
    'controllers',
    'rest',
    'services',
    'realtime',
    'providers',
    'repositories',
    'models',
    'keys',
    'domain',
  ],
  host: [
    'component',
    'controllers',
    'rest',
    'services',
    'realtime',
    'providers',
    'repositories',
    'models',
    'keys',
    'domain',
    'migrate',
  ],
  migrate: ['domain'],
  client: [],
};

/** Which layer a file (relative to `src/`) belongs to. */
function layerOf(file: string): Layer {
  const [top] = file.split('/');
  const byRootFile: Record<string, Layer> = {
    'types.ts': 'domain',
    'config.ts': 'domain',
    'errors.ts': 'domain',
    'extension-points.ts': 'domain',
    'require-optional.ts': 'domain',
    'keys.ts': 'keys',
    'component.ts': 'component',
    'bindings.ts': 'component',
    'configured-bindings.ts': 'component',
    'datasource.ts': 'component',
    'index.ts': 'component',
    'sequelize.ts': 'component',
  };
  const byFolder: Record<string, Layer> = {
    domain: 'domain',
    models: 'models',
    repositories: 'repositories',
    providers: 'providers',
    realtime: 'realtime',
    services: 'services',
    rest: 'rest',
    controllers: 'controllers',
    demo: 'host',
    ['__benchmarks__']: 'host',
    // only as a target: the bench starts its redis-server with a test fixture
    ['__tests__']: 'host',
    migrate: 'migrate',
    client: 'client',
  };
  const layer = file.includes('/') ? byFolder[top] : byRootFile[top];
  if (!layer) throw new Error(`${file}: in no layer; add it to layerOf`);
  return layer;
}

/** One `import … from` / `export … from` of a project module. */
interface Arrow {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The arrows of every non-test source file under `src/`. */
function importGraph(): Arrow[] {
  return sourceFiles('').flatMap(file => {
    const text = readFileSync(path.join(SRC, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
    const arrows: Arrow[] = [];
    for (const statement of source.statements) {
      const arrow = arrowOf(file, statement);
      if (arrow) arrows.push(arrow);
    }
    return arrows;
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(SRC, dir)).flatMap(name => {
    const file = dir ? `${dir}/${name}` : name;
    if (statSync(path.join(SRC, file)).isDirectory()) {
      return name === '__tests__' ? [] : sourceFiles(file);
    }
    return /(?<!\.d)\.ts$/.test(name) ? [file] : [];
  });
}

function arrowOf(file: string, statement: ts.Statement): Arrow | undefined {
  let specifier: ts.Expression | undefined;
  let typeOnly = false;
  if (ts.isImportDeclaration(statement)) {
    specifier = statement.moduleSpecifier;
    typeOnly = statement.importClause?.isTypeOnly ?? false;
  } else if (ts.isExportDeclaration(statement)) {
    specifier = statement.moduleSpecifier;
    typeOnly = statement.isTypeOnly;
  }
  if (!specifier || !ts.isStringLiteral(specifier)) return undefined;
  if (!specifier.text.startsWith('.')) return undefined; // a package
  return {from: file, to: resolve(file, specifier.text), typeOnly};
}

/** The file (relative to `src/`) a relative specifier names. */
function resolve(from: string, specifier: string): string {
  const named = path.posix.join(path.posix.dirname(from), specifier);
  const base = named.replace(/\.js$/, ''); // the ES module builds name .js
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, `${base}.d.ts`]) {
    if (existsSync(path.join(SRC, candidate))) return candidate;
  }
  throw new Error(`${from}: cannot resolve '${specifier}'`);
}

/** The arrows `MAY_IMPORT` forbids, as "from -> to (layer -> layer)". */
function forbiddenArrows(arrows: Arrow[]): string[] {
  return arrows
    .filter(({from, to, typeOnly}) => {
      const [a, b] = [layerOf(from), layerOf(to)];
      if (a === b || MAY_IMPORT[a].includes(b)) return false;
      return !(a === 'keys' && typeOnly);
    })
    .map(
      ({from, to}) => `${from} -> ${to} (${layerOf(from)} -> ${layerOf(to)})`,
    );
}

/** Cycles among layers through runtime imports, as "a -> b -> a". */
function layerCycles(edges: [Layer, Layer][]): string[] {
  const next = new Map<Layer, Set<Layer>>();
  for (const [a, b] of edges) {
    if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const cycles: string[] = [];
  const walk = (layer: Layer, trail: Layer[]) => {
    if (trail.includes(layer)) {
      if (layer === trail[0]) cycles.push([...trail, layer].join(' -> '));
      return;
    }
    for (const to of next.get(layer) ?? []) walk(to, [...trail, layer]);
  };
  for (const layer of next.keys()) walk(layer, []);
  return cycles;
}

describe('layering of src/ (unit)', () => {
  let arrows: Arrow[];
  before(() => {
    arrows = importGraph();
  });

  it('reads the import graph', () => {
    // a parser that finds nothing would pass every rule below
    expect(arrows.length).to.be.above(200);
    expect(arrows).to.containDeep([
      {from: 'controllers/message.controller.ts', to: 'rest/index.ts'},
    ]);
  });

  it('has only arrows the layer table allows', () => {
    expect(forbiddenArrows(arrows)).to.eql([]);
  });

  it('has no cycle among the layers at run time', () => {
    const runtime = arrows.filter(a => !a.typeOnly);
    const edges = runtime.map(({from, to}): [Layer, Layer] => [
      layerOf(from),
      layerOf(to),
    ]);
    expect(layerCycles(edges)).to.eql([]);
  });

  it('has a layer table without cycles', () => {
    const edges = Object.entries(MAY_IMPORT).flatMap(([a, bs]) =>
      bs.map((b): [Layer, Layer] => [a as Layer, b]),
    );
    expect(layerCycles(edges)).to.eql([]);
  });

  it('finds a forbidden arrow and a cycle when there is one', () => {
    const planted: Arrow[] = [
      {from: 'realtime/x.ts', to: 'services/y.ts', typeOnly: false},
      {from: 'services/y.ts', to: 'realtime/x.ts', typeOnly: false},
    ];
    expect(forbiddenArrows(planted)).to.eql([
      'realtime/x.ts -> services/y.ts (realtime -> services)',
    ]);
    expect(
      layerCycles(planted.map(a => [layerOf(a.from), layerOf(a.to)])),
    ).to.containEql('realtime -> services -> realtime');
  });
});
