// Run by the package's postinstall script when CHAT_MIGRATION,
// SOURCELOOP_MIGRATION or CHAT_MIGRATION_COPY is set (see install-step.ts):
// - CHAT_MIGRATION_COPY: copy the migration files into the host project, at
//   <host>/migrations/chat-service (a db-migrate scope: `db-migrate up:chat-service`),
//   instead of running them;
// - CHAT_MIGRATION / SOURCELOOP_MIGRATION: apply pending migrations to the
//   database named by DATABASE_URL or DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
//   DB_DATABASE, DB_SCHEMA. It never reverts.
// MYSQL_MIGRATION=true selects migrations-mysql/ in both cases.
// Loading this module runs the step: it is a script, not a library module.
import fs from 'fs';
import {migrationsDir} from './connection';
import {installStep} from './install-step';
import {runMigrations} from './runner';

const PREFIX = '[loopback4-chat-service]';

/** The postinstall step; does nothing unless one of its env vars is set. */
async function postinstall(
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const step = installStep(env);
  if (step.kind === 'copy') {
    fs.mkdirSync(step.target, {recursive: true});
    fs.cpSync(migrationsDir(step.dialect), step.target, {recursive: true});
    console.log(
      `${PREFIX} copied the ${step.dialect} migrations to ${step.target} ` +
        `(run them from your project with \`db-migrate up:chat-service\`)`,
    );
  } else if (step.kind === 'migrate') {
    await runMigrations({
      direction: 'up',
      log: line => console.log(`${PREFIX} ${line}`),
    });
  } else if (step.note) {
    console.log(`${PREFIX} ${step.note}`);
  }
}

postinstall().catch(err => {
  console.error(`${PREFIX} migration failed: ${err?.message ?? err}`);
  process.exitCode = 1;
});
