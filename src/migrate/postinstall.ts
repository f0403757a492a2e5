// Run by the package's postinstall script when CHAT_MIGRATION,
// SOURCELOOP_MIGRATION or CHAT_MIGRATION_COPY is set:
// - CHAT_MIGRATION_COPY: copy the migration files into the host project, at
//   <host>/migrations/chat-service (a db-migrate scope: `db-migrate up:chat-service`),
//   instead of running them;
// - CHAT_MIGRATION / SOURCELOOP_MIGRATION: apply pending migrations to the
//   database named by DATABASE_URL or DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
//   DB_DATABASE, DB_SCHEMA.
// MYSQL_MIGRATION=true selects migrations-mysql/ in both cases.
// Loading this module runs the step: it is a script, not a library module.
import fs from 'fs';
import path from 'path';
import {isEnabled, migrationsDir, resolveTarget} from './connection';
import {runMigrations} from './runner';

const PREFIX = '[loopback4-chat-service]';

/** Where `CHAT_MIGRATION_COPY` puts the migration files in the host project. */
function copyTarget(env: NodeJS.ProcessEnv = process.env): string {
  // npm runs install scripts in the package's own folder and sets INIT_CWD
  // to the folder `npm install` was started in
  const host = env.INIT_CWD ?? process.cwd();
  return path.join(host, 'migrations', 'chat-service');
}

/** Copies the migration folder for the selected dialect into the host. */
function copyMigrations(env: NodeJS.ProcessEnv = process.env): string {
  const source = migrationsDir(resolveTarget({}, env).dialect);
  const target = copyTarget(env);
  fs.mkdirSync(target, {recursive: true});
  fs.cpSync(source, target, {recursive: true});
  return target;
}

/** The postinstall step; does nothing unless one of its env vars is set. */
async function postinstall(
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (isEnabled(env.CHAT_MIGRATION_COPY)) {
    const target = copyMigrations(env);
    console.log(`${PREFIX} copied the migrations to ${target}`);
    return;
  }
  if (isEnabled(env.CHAT_MIGRATION) || isEnabled(env.SOURCELOOP_MIGRATION)) {
    await runMigrations({
      direction: 'up',
      log: line => console.log(`${PREFIX} ${line}`),
    });
  }
}

postinstall().catch(err => {
  console.error(`${PREFIX} migration failed: ${err?.message ?? err}`);
  process.exitCode = 1;
});
