// Packs the package, installs the tarball into a scratch LoopBack 4 host
// the way README's install section says (PostgreSQL, juggler), compiles a
// host written from that section with `skipLibCheck: false`, migrates an
// empty database with the package's bin command and boots the host against
// it: one authenticated conversation and message through the installed
// client. Run by `npm run test:install` (it installs from the registry).
import {expect} from '@loopback/testlab';
import {ChildProcess, spawn, spawnSync, SpawnSyncReturns} from 'child_process';
import fs from 'fs';
import {SignJWT} from 'jose';
import os from 'os';
import path from 'path';
import {startPostgres} from '../fixtures/postgres-server';
import {TestDbServer} from '../fixtures/test-db-server';
import {installSection, readmeInstallArgs, writeHost} from './host-files';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = 'loopback4-chat-service';
const SECRET = 'pack-install-test-secret-of-enough-length';
const ISSUER = 'https://auth.example.com';
/** The errors LoopBack's own declarations have under skipLibCheck: false. */
const LOOPBACK_OWN_ERROR =
  /^node_modules\/@loopback\/[^(]+\(\d+,\d+\): error (TS1170|TS2304: Cannot find name 'EventEmitter')/;

describe('the packed package installed into a scratch host', function (this: Mocha.Suite) {
  this.timeout(10 * 60 * 1000);
  let work: string;
  let host: string;
  let section: string;
  let server: TestDbServer | undefined;
  let databaseUrl: string;
  let app: ChildProcess | undefined;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-install-'));
    host = path.join(work, 'host');
    section = installSection(
      fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'),
    );
    server = await startPostgres();
    await server.createDatabase('chat_host');
    databaseUrl = server.urlFor('chat_host');
  });

  after(async () => {
    app?.kill('SIGKILL');
    await server?.stop();
    if (work) fs.rmSync(work, {recursive: true, force: true});
  });

  it('installs as README says: no EBADENGINE, no native build', () => {
    const packed = run(
      'npm',
      ['pack', '--json', '--pack-destination', work],
      ROOT,
    );
    const [{filename}] = JSON.parse(packed.stdout) as {filename: string}[];
    writeHost(host);
    // README's PostgreSQL + juggler line (on Node 20 the one that pins
    // @loopback/repository), the package as the tarball
    const marker = process.versions.node.startsWith('20.')
      ? '@loopback/repository@8.0.11'
      : 'loopback-connector-postgresql';
    const args = readmeInstallArgs(section, marker);
    expect(args).to.containEql(PACKAGE);
    expect(args).to.containEql('loopback-connector-postgresql');
    const tarball = path.join(work, filename);
    const install = npm([
      'install',
      ...args.map(a => (a === PACKAGE ? tarball : a)),
    ]);
    expect(install.stderr).to.not.match(/EBADENGINE|ERESOLVE/);
    const natives = npm(
      ['ls', '--all', '--parseable', 'cpu-features', 'ssh2'],
      true,
    );
    expect(natives.stdout.trim()).to.equal('');
    const count = npm(['ls', '--all', '--parseable']).stdout.trim().split('\n');
    const size = spawnSync('du', ['-sh', 'node_modules'], {
      cwd: host,
      encoding: 'utf8',
    });
    console.log(
      `      host install: ${count.length - 1} packages, ${size.stdout.split('\t')[0]}`,
    );
  });

  it('compiles a host written from README with skipLibCheck: false', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const build = node([tsc, '-p', 'tsconfig.json'], true);
    // LoopBack's own declarations do not pass skipLibCheck: false
    // (@loopback/express and @loopback/repository use `EventEmitter`
    // without importing it); every other file must
    const errors = build.stdout
      .split('\n')
      .filter(line => /: error TS\d+/.test(line))
      .filter(line => !LOOPBACK_OWN_ERROR.test(line));
    expect(errors).to.deepEqual([]);
    expect(fs.existsSync(path.join(host, 'dist', 'index.js'))).to.be.true();
  });

  it('names the missing package of an option the host did not install', () => {
    const sequelize = node(['-e', `require('${PACKAGE}/sequelize')`], true);
    expect(sequelize.stderr).to.match(/needs the package "sequelize"/);
    expect(sequelize.stderr).to.match(/npm install sequelize/);
    const migrate = spawnSync('npx', ['chat-service-migrate', 'up'], {
      cwd: host,
      encoding: 'utf8',
      env: {...process.env, DATABASE_URL: databaseUrl},
    });
    expect(migrate.status).to.not.equal(0);
    expect(migrate.stderr).to.match(/npm install db-migrate/);
  });

  it('migrates the database with the tooling README names', () => {
    npm(['install', ...readmeInstallArgs(section, 'db-migrate-pg')]);
    const migrate = run('npx', ['chat-service-migrate', 'up'], host, {
      DATABASE_URL: databaseUrl,
    });
    expect(migrate.stdout).to.match(/Applied \d+ migration/);
  });

  it('boots and answers an authenticated conversation and message', async () => {
    app = spawn(process.execPath, ['dist/index.js'], {
      cwd: host,
      env: {...process.env, DATABASE_URL: databaseUrl, JWT_SECRET: SECRET},
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await listeningUrl(app);
    // the client as the host has it, from the installed tarball
    const client = require(
      require.resolve(`${PACKAGE}/client`, {paths: [host]}),
    ) as typeof import('../../client');
    const chat = new client.ChatClient({
      baseUrl: url,
      token: await token('alice'),
    });
    const conversation = await chat.createConversation({
      type: 'group',
      title: 'installed',
      memberIds: ['bob'],
    });
    const message = await chat.sendMessage(conversation.id, {body: 'hello'});
    expect(message).to.containDeep({body: 'hello', seq: 1, senderId: 'alice'});
  });

  it('loads the client as an ES module through the exports map', () => {
    const esm = node([
      '--input-type=module',
      '-e',
      `import {ChatClient} from '${PACKAGE}/client';` +
        `const {ChatClient: Cjs} = await import('module').then(m => m.createRequire(process.cwd() + '/')('${PACKAGE}/client'));` +
        `console.log(typeof ChatClient, ChatClient === Cjs ? 'same' : 'separate');`,
    ]);
    expect(esm.stdout.trim()).to.equal('function separate');
  });

  function npm(args: string[], mayFail = false): SpawnSyncReturns<string> {
    const flags = ['--no-audit', '--no-fund'];
    return run(
      'npm',
      [...args, ...(args[0] === 'install' ? flags : [])],
      host,
      {},
      mayFail,
    );
  }

  function node(args: string[], mayFail = false): SpawnSyncReturns<string> {
    return run(process.execPath, args, host, {}, mayFail);
  }
});

/** Runs a command; fails the test with its output unless it succeeds. */
function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  mayFail = false,
): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: {...process.env, ...env},
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!mayFail && result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n` +
        `${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** The URL the host prints once it listens. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', code =>
      reject(new Error(`host exited ${code}: ${out}`)),
    );
  });
}

function token(sub: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({alg: 'HS256'})
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
}
