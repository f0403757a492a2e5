#!/usr/bin/env node
// `chat-service-migrate up|down [--count N] [--mysql]`: the package's bin.
import {MIGRATE_USAGE, parseMigrateArgs} from './cli-args';
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
    process.exitCode = 1;
  },
);
