/** What `chat-service-migrate` was asked to do. */
export interface MigrateCommand {
  direction: 'up' | 'down';
  count?: number;
  /** Every migration: what `up` does anyway; `down` reverts them all. */
  all?: boolean;
  mysql?: boolean;
  databaseUrl?: string;
}

/** Parsed command line: a command to run, or a request for the usage text. */
export type MigrateCliArgs = MigrateCommand | {help: true};

export const MIGRATE_USAGE = `Usage: chat-service-migrate <up|down> [count] [options]

Applies (up) or reverts (down) the loopback4-chat-service migrations.
  up         apply every pending migration
  down       revert ONE migration, the latest applied
  down <n>   revert the latest n migrations
  down --all revert every migration of this package: drops every chat
             table and the data in it

Options:
  -c, --count <n>          apply or revert at most n migrations (as <n>)
      --all                every migration (down: drops all chat tables)
      --mysql              use migrations-mysql/ and the mysql driver
                           (also: MYSQL_MIGRATION=true, or a mysql:// URL)
      --database-url <url> database to migrate (default: DATABASE_URL)
  -h, --help               show this text

Without a URL the connection comes from DB_HOST, DB_PORT, DB_USER,
DB_PASSWORD, DB_DATABASE and DB_SCHEMA (PostgreSQL schema).
Applied migrations are recorded in the table chat_service_migrations.
Exit status: 0 done, 1 the run failed, 2 bad arguments or contradictory
settings (nothing was run).`;

/**
 * Parses the arguments of `chat-service-migrate` (without `node` and the
 * script path). Throws an `Error` with a one-line message on bad input.
 */
export function parseMigrateArgs(argv: string[]): MigrateCliArgs {
  const command: Partial<MigrateCommand> = {};
  const args = [...argv];
  while (args.length) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith('--') ? splitInline(arg) : [arg];
    const value = () => {
      const v = inline ?? args.shift();
      if (v === undefined || v === '') {
        throw new Error(`Option ${flag} needs a value.`);
      }
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return {help: true};
      case 'up':
      case 'down':
        if (command.direction) {
          throw new Error(`Unexpected argument "${arg}": one command only.`);
        }
        command.direction = flag;
        break;
      case '-c':
      case '--count':
        setCount(command, parseCount(value()));
        break;
      case '--all':
        if (inline !== undefined) throw new Error('--all takes no value.');
        command.all = true;
        break;
      case '--mysql':
        if (inline !== undefined) throw new Error('--mysql takes no value.');
        command.mysql = true;
        break;
      case '--database-url':
        command.databaseUrl = value();
        break;
      default:
        // a count after the command (`down 3`; `down -1` is a bad count)
        if (command.direction && /^(?!-)|^-\d/.test(arg)) {
          setCount(command, parseCount(arg));
          break;
        }
        throw new Error(
          arg.startsWith('-')
            ? `Unknown option "${arg}".`
            : `Unknown command "${arg}": expected up or down.`,
        );
    }
  }
  if (!command.direction) throw new Error('Missing command: up or down.');
  if (command.all && command.count !== undefined) {
    throw new Error('Give a count or --all, not both.');
  }
  return command as MigrateCommand;
}

function setCount(command: Partial<MigrateCommand>, count: number) {
  if (command.count !== undefined) {
    throw new Error('The count is given twice.');
  }
  command.count = count;
}

function splitInline(arg: string): [string, string?] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1) {
    throw new Error(
      `The count (down <n> or --count <n>) must be a positive integer, ` +
        `got "${text}".`,
    );
  }
  return count;
}
