import fs from 'fs';
import {
  BindingScope,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {migrationsDir} from '../migrate/connection';
import {ChatDb, oneOf, SqlRunner} from '../repositories';

/** The table `chat-service-migrate` records applied migrations in. */
const RECORD_TABLE = 'chat_service_migrations';

/** Every table the component reads or writes (the migrations create them). */
export const CHAT_TABLES: readonly string[] = [
  'chat_attachment_downloads',
  'chat_attachments',
  'chat_conversations',
  'chat_event_clock',
  'chat_event_queue',
  'chat_events',
  'chat_last_seen',
  'chat_member_periods',
  'chat_members',
  'chat_messages',
  'chat_presence',
];

/**
 * The database lacks tables or migrations of the component: thrown by the
 * application's start. The message is one line saying what is missing and
 * the command that applies it; the stack is that line too (nothing in it
 * would help an operator).
 */
export class MigrationsPendingError extends Error {
  readonly code = 'MIGRATIONS_PENDING';

  constructor(message: string) {
    super(`loopback4-chat-service: ${message}`);
    this.name = 'MigrationsPendingError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Checks, when the application initialises (`app.init()`, which
 * `app.start()` runs first), before any part of the component touches the
 * database, that the component's migrations have run: every migration of this package is recorded in
 * `chat_service_migrations`, or, without that table (migrations run by
 * the host's own tool from a `CHAT_MIGRATION_COPY` copy), every table the
 * component uses exists. Otherwise the start fails with a
 * {@link MigrationsPendingError}. Two small queries.
 */
@injectable({scope: BindingScope.SINGLETON})
export class SchemaCheck implements LifeCycleObserver {
  constructor(@inject(ChatServiceBindings.DATABASE) private db: ChatDb) {}

  // `init`, not `start`: LoopBack starts the observers of a group in
  // parallel, while every observer's `init` completes before any `start`
  async init(): Promise<void> {
    const problem = await this.findProblem();
    if (problem) throw new MigrationsPendingError(problem);
  }

  /** What is missing, as the start of a sentence; undefined when nothing. */
  async findProblem(): Promise<string | undefined> {
    const tables = await existingTables(this.db, [
      ...CHAT_TABLES,
      RECORD_TABLE,
    ]);
    const command = `Run \`npx chat-service-migrate up${
      this.db.dialect === 'mysql' ? ' --mysql' : ''
    }\``;
    const naming =
      'with DATABASE_URL (or DB_HOST, DB_DATABASE, ...) naming it.';
    const missing = tables.has(RECORD_TABLE)
      ? await missingMigrations(this.db)
      : undefined;
    if (missing) {
      if (!missing.length) return undefined;
      const more =
        missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
      return (
        `migration ${missing[0]}${more} has not run on this database. ` +
        `${command} ${naming}`
      );
    }
    const absent = CHAT_TABLES.filter(t => !tables.has(t));
    if (!absent.length) return undefined;
    if (absent.length === CHAT_TABLES.length) {
      return (
        'the chat tables do not exist: the migrations have not run on this ' +
        `database. ${command} ${naming}`
      );
    }
    const list = absent.join(', ');
    return (
      `the table${absent.length > 1 ? 's' : ''} ${list} ` +
      `${absent.length > 1 ? 'do' : 'does'} not exist: a migration has not ` +
      `run on this database. ${command} (or your copy of the migrations) ` +
      naming
    );
  }
}

/** Which of `names` exist where the component's statements look for them. */
async function existingTables(
  q: SqlRunner,
  names: string[],
): Promise<Set<string>> {
  const schema =
    q.dialect === 'mysql'
      ? 'table_schema = DATABASE()'
      : // unqualified names resolve through the search path
        'table_schema = ANY(current_schemas(false))';
  const list = oneOf(q, 'table_name', names, 1);
  const rows = await q.query<{name: string}>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE ${schema} AND ${list.sql}`,
    list.params,
  );
  return new Set(rows.map(r => r.name));
}

/**
 * This package's migrations (for the database's dialect) that
 * `chat_service_migrations` does not record, oldest first. Undefined when
 * the migration folder cannot be read (a bundled host): then the tables
 * are checked instead.
 */
async function missingMigrations(q: SqlRunner): Promise<string[] | undefined> {
  let known: string[];
  try {
    known = fs
      .readdirSync(migrationsDir(q.dialect))
      .filter(f => f.endsWith('.js'))
      .map(f => f.slice(0, -3))
      .sort();
  } catch {
    return undefined;
  }
  const rows = await q.query<{name: string}>(
    `SELECT name FROM ${RECORD_TABLE}`,
  );
  // db-migrate records `/<name>`
  const applied = new Set(rows.map(r => r.name.replace(/^\//, '')));
  return known.filter(name => !applied.has(name));
}
