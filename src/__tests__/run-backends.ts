// `npm test`: the whole suite once per back end (database and ORM), each in
// a mocha process of its own with CHAT_TEST_DB and CHAT_TEST_ORM set (see
// fixtures/test-backend.ts).
//
//   node dist/__tests__/run-backends.js [backend…] [mocha options]
//
// Back ends: postgres-juggler, postgres-sequelize, mysql-juggler,
// mysql-sequelize, or `postgres`, `mysql`, `all` for several. Without any,
// the PostgreSQL pair runs, and the MySQL/MariaDB pair too when
// CHAT_TEST_MYSQL is set. Other arguments go to mocha (`--grep …`).
import {spawnSync} from 'child_process';
import path from 'path';
import {isEnabled} from '../migrate/connection';
import {TestBackend} from './fixtures/test-backend';

const BACKENDS: Record<string, TestBackend> = {
  'postgres-juggler': {db: 'postgres', orm: 'juggler'},
  'postgres-sequelize': {db: 'postgres', orm: 'sequelize'},
  'mysql-juggler': {db: 'mysql', orm: 'juggler'},
  'mysql-sequelize': {db: 'mysql', orm: 'sequelize'},
};

const GROUPS: Record<string, string[]> = {
  postgres: ['postgres-juggler', 'postgres-sequelize'],
  mysql: ['mysql-juggler', 'mysql-sequelize'],
  all: Object.keys(BACKENDS),
};

/** The back ends named by `args`, and the arguments left for mocha. */
export function parseArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): {backends: string[]; mochaArgs: string[]} {
  const backends: string[] = [];
  const mochaArgs: string[] = [];
  for (const arg of args) {
    if (BACKENDS[arg]) backends.push(arg);
    else if (GROUPS[arg]) backends.push(...GROUPS[arg]);
    else mochaArgs.push(arg);
  }
  if (backends.length === 0) {
    backends.push(...GROUPS.postgres);
    if (isEnabled(env.CHAT_TEST_MYSQL)) backends.push(...GROUPS.mysql);
  }
  return {backends: [...new Set(backends)], mochaArgs};
}

function main(args: string[]): number {
  const {backends, mochaArgs} = parseArgs(args);
  const root = path.resolve(__dirname, '..', '..');
  const mocha = require.resolve('@loopback/build/bin/run-mocha');
  const results: string[] = [];
  let failed = false;
  for (const name of backends) {
    const {db, orm} = BACKENDS[name];
    console.log(`\n==> ${name}: CHAT_TEST_DB=${db} CHAT_TEST_ORM=${orm}`);
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [mocha, '--allow-console-logs', ...mochaArgs, 'dist/__tests__'],
      {
        cwd: root,
        stdio: 'inherit',
        env: {...process.env, CHAT_TEST_DB: db, CHAT_TEST_ORM: orm},
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const ok = run.status === 0;
    failed ||= !ok;
    results.push(`${ok ? 'passed' : 'FAILED'}  ${name} (${seconds} s)`);
  }
  console.log(`\n==> Back ends\n${results.map(r => `  ${r}`).join('\n')}`);
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
