import fs from 'fs';
import type {DbMigrateInstance, DbMigrateResult} from 'db-migrate';
import {requireOptional} from '../require-optional';
import {
  DriverSettings,
  MigrationDialect,
  MigrationTarget,
  migrationsDir,
  packageRoot,
  resolveTarget,
} from './connection';

/**
 * Table recording which of this package's migrations ran. Not db-migrate's
 * default `migrations`, which a host application may use for its own.
 */
export const CHAT_MIGRATIONS_TABLE = 'chat_service_migrations';

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions extends MigrationTarget {
  /** `up` applies pending migrations; `down` reverts applied ones. */
  direction: 'up' | 'down';
  /**
   * How many migrations to apply or revert. Default: every pending one
   * (`up`); ONE, the latest applied (`down`), as db-migrate's own `down`.
   */
  count?: number;
  /** `down` only: revert every applied migration (drops every chat table). */
  all?: boolean;
  /** Receives progress lines; without it the run prints nothing. */
  log?: (line: string) => void;
}

const ENV_NAME = 'chatService';

/**
 * Applies (`up`) or reverts (`down`) this package's db-migrate migrations:
 * `migrations/` for PostgreSQL, `migrations-mysql/` for MySQL/MariaDB.
 *
 * @returns the names of the migrations that ran, in the order they ran
 */
export async function runMigrations(
  options: RunMigrationsOptions,
): Promise<string[]> {
  const {direction, count, all, log = () => {}} = options;
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    throw new Error(`count must be a positive integer, got ${count}.`);
  }
  if (all && count !== undefined) {
    throw new Error('Give a count or all, not both.');
  }
  const target = resolveTarget(options);
  const dbMigrate = loadDbMigrate(target.dialect);
  const dir = migrationsDir(target.dialect);
  if (!fs.existsSync(dir)) {
    throw new Error(`No ${target.dialect} migrations found at ${dir}.`);
  }
  log(
    `${direction === 'up' ? 'Migrating' : 'Reverting'} ${target.dialect} ` +
      `database ${target.description} with ${dir}`,
  );
  const instances: DbMigrateInstance[] = [];
  const open = () => {
    const instance = createInstance(dbMigrate, target.settings, dir);
    instances.push(instance);
    return instance;
  };
  try {
    let result: DbMigrateResult;
    if (direction === 'up') {
      result = await open().up(count ?? Number.MAX_SAFE_INTEGER);
    } else {
      // db-migrate's down command throws outside its promise when it cannot
      // connect; `check` connects the same way but reports errors properly.
      await open().check();
      result = await (all ? open().reset() : open().down(count ?? 1));
    }
    const names = (result ?? []).map(m => m.name);
    for (const name of names) log(`  ${direction} ${name}`);
    log(summary(direction, names.length));
    return names;
  } finally {
    // db-migrate's logger is a process-wide singleton: restore its default
    instances[0]?.silence(false);
  }
}

function summary(direction: 'up' | 'down', count: number): string {
  if (count === 0) {
    return `No migrations to ${direction === 'up' ? 'apply' : 'revert'}.`;
  }
  return `${direction === 'up' ? 'Applied' : 'Reverted'} ${count} migration(s).`;
}

type DbMigrateModule = typeof import('db-migrate');

/**
 * db-migrate and its driver for `dialect` (`db-migrate-pg` or
 * `db-migrate-mysql`): optional peer dependencies, installed where the
 * migrations run.
 */
function loadDbMigrate(dialect: MigrationDialect): DbMigrateModule {
  const neededFor = `Running the ${dialect} migrations`;
  const dbMigrate = requireOptional<DbMigrateModule>('db-migrate', neededFor);
  requireOptional(
    dialect === 'mysql' ? 'db-migrate-mysql' : 'db-migrate-pg',
    neededFor,
  );
  return dbMigrate;
}

function createInstance(
  {getInstance}: DbMigrateModule,
  settings: DriverSettings,
  dir: string,
): DbMigrateInstance {
  // db-migrate merges the process's command line (via `rc`) into its own
  // options: flags such as `--dry-run`, `--verbose` or `--count` given to the
  // host process would change the run. Hide them while it reads its options.
  const argv = process.argv;
  process.argv = argv.slice(0, 2);
  try {
    const instance = getInstance(true, instanceOptions(settings, dir));
    instance.silence(true);
    return instance;
  } finally {
    process.argv = argv;
  }
}

function instanceOptions(settings: DriverSettings, dir: string) {
  return {
    cwd: packageRoot(),
    env: ENV_NAME,
    // `overwrite` is applied after db-migrate's own DATABASE_URL lookup, so
    // these settings win over the environment
    config: {[ENV_NAME]: {driver: settings.driver, overwrite: settings}},
    cmdOptions: {
      'migrations-dir': dir,
      table: CHAT_MIGRATIONS_TABLE,
      'migration-table': CHAT_MIGRATIONS_TABLE,
    },
    // no process-wide uncaughtException / unhandledRejection handlers
    throwUncatched: true,
    // host plugins must not change how this package migrates
    noPlugins: true,
  };
}
