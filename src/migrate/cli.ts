#!/usr/bin/env node
// `chat-service-migrate up|down [N|--all] [--mysql]`: the package's bin.
import {MIGRATE_USAGE, parseMigrateArgs} from './cli-args';
import {MigrationConfigError} from './config-checks';
import {runMigrations} from './runner';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseMigrateArgs(argv);
  } catch (err) {
    console.error(`chat-service-migrate: ${err.message}\n\n${MIGRATE_USAGE}`);
    return 2;
  }
  if ('help' in args) {
    console.log(MIGRATE_USAGE);
    return 0;
  }
  await runMigrations({...args, log: line => console.log(line)});
  return 0;
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  err => {
    console.error(`chat-service-migrate: ${err?.message ?? err}`);
    // contradictory settings are an input error: nothing was run
    process.exitCode = err instanceof MigrationConfigError ? 2 : 1;
  },
);
