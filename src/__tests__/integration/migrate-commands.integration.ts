import {expect} from '@loopback/testlab';
import {spawn} from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import {CHAT_MIGRATIONS_TABLE} from '../../migrate';
import {migrationsDir} from '../../migrate/connection';
import {givenScratchDatabase, ScratchDatabase, testBackend} from '../fixtures';

const CLI = path.resolve(__dirname, '../../migrate/cli.js');
const POSTINSTALL = path.resolve(__dirname, '../../migrate/postinstall.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of the package with only `env` (and PATH) set. */
function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  const child = spawn(process.execPath, [script, ...args], {
    env: {PATH: process.env.PATH, ...env},
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => resolve({code, stdout, stderr}));
  });
}

/** A TCP server that counts the connections made to it (and answers none). */
async function givenListener() {
  const sockets: net.Socket[] = [];
  const server = net.createServer(socket => sockets.push(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => sockets.length,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

describe('chat-service-migrate and the postinstall step (processes)', () => {
  const {db} = testBackend();
  const mysql = db === 'mysql';

  describe('contradictory settings', () => {
    let listener: Awaited<ReturnType<typeof givenListener>>;
    beforeEach(async () => {
      listener = await givenListener();
    });
    afterEach(() => listener.close());

    it('exit 2 with one line naming the variables, and connect to nothing', async () => {
      const result = await run(CLI, ['up'], {
        MYSQL_MIGRATION: 'true',
        DATABASE_URL: `postgres://chat:pw@127.0.0.1:${listener.port}/chat`,
      });
      expect(result).to.eql({
        code: 2,
        stdout: '',
        stderr:
          'chat-service-migrate: MYSQL_MIGRATION=true selects MySQL/MariaDB ' +
          'but DATABASE_URL (a postgres:// URL) names a PostgreSQL database: ' +
          'make them agree or unset one.\n',
      });
      expect(listener.connections()).to.equal(0);
    });

    it('fail the postinstall step the same way', async () => {
      const result = await run(POSTINSTALL, [], {
        CHAT_MIGRATION: 'true',
        DATABASE_URL: `mysql://chat:pw@127.0.0.1:${listener.port}/chat`,
        DB_HOST: 'db.internal',
      });
      expect(result).to.eql({
        code: 1,
        stdout: '',
        stderr:
          '[loopback4-chat-service] migration failed: DATABASE_URL and ' +
          'DB_HOST name different connections (host "127.0.0.1" in the URL, ' +
          '"db.internal" in DB_HOST): unset one or make them agree.\n',
      });
      expect(listener.connections()).to.equal(0);
    });
  });

  describe('CHAT_MIGRATION_COPY', () => {
    let host: string;
    beforeEach(() => {
      host = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-copy-'));
    });
    afterEach(() => fs.rmSync(host, {recursive: true, force: true}));

    it('copies the migrations to <project>/migrations/chat-service and says so', async () => {
      const result = await run(POSTINSTALL, [], {
        CHAT_MIGRATION_COPY: '1',
        INIT_CWD: host,
        ...(mysql ? {MYSQL_MIGRATION: 'true'} : {}),
      });
      const target = path.join(host, 'migrations', 'chat-service');
      expect(result).to.eql({
        code: 0,
        stdout:
          `[loopback4-chat-service] copied the ${db} migrations to ${target} ` +
          '(run them from your project with `db-migrate up:chat-service`)\n',
        stderr: '',
      });
      const source = migrationsDir(db);
      expect(fs.readdirSync(target).sort()).to.eql(
        fs.readdirSync(source).sort(),
      );
      expect(fs.readdirSync(path.join(target, 'sqls')).sort()).to.eql(
        fs.readdirSync(path.join(source, 'sqls')).sort(),
      );
    });
  });

  describe('down', () => {
    let scratch: ScratchDatabase;
    const cli = (...args: string[]) =>
      run(CLI, [...args, '--database-url', scratch.url], {});
    const applied = async () =>
      (
        await scratch.client.query<{name: string}>(
          `SELECT name FROM ${CHAT_MIGRATIONS_TABLE}`,
        )
      ).length;

    before(async () => {
      scratch = await givenScratchDatabase('chat_migrate_cli');
    });
    after(() => scratch?.drop());

    it('reverts exactly one migration without a count', async () => {
      expect((await cli('up')).code).to.equal(0);
      const all = await applied();
      expect(all).to.be.above(1);
      const result = await cli('down');
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(/Reverted 1 migration\(s\)\./);
      expect(await applied()).to.equal(all - 1);
    });

    it('reverts n migrations with a count, all with --all', async () => {
      expect((await cli('up')).code).to.equal(0);
      const all = await applied();
      expect((await cli('down', '2')).code).to.equal(0);
      expect(await applied()).to.equal(all - 2);
      const result = await cli('down', '--all');
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(
        new RegExp(`Reverted ${all - 2} migration\\(s\\)\\.`),
      );
      expect(await applied()).to.equal(0);
      const tables = await scratch.client.tables();
      expect(tables.filter(t => t.startsWith('chat_'))).to.eql([
        CHAT_MIGRATIONS_TABLE,
      ]);
    });

    it('refuses a bad count before connecting', async () => {
      const result = await cli('down', 'all');
      expect(result.code).to.equal(2);
      expect(result.stderr.split('\n')[0]).to.equal(
        'chat-service-migrate: The count (down <n> or --count <n>) must be ' +
          'a positive integer, got "all".',
      );
    });
  });
});
