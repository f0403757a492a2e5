/** What `chat-service-migrate` was asked to do. */
export interface MigrateCommand {
  direction: 'up' | 'down';
  count?: number;
  mysql?: boolean;
  databaseUrl?: string;
}

/** Parsed command line: a command to run, or a request for the usage text. */
export type MigrateCliArgs = MigrateCommand | {help: true};

export const MIGRATE_USAGE = `Usage: chat-service-migrate <up|down> [options]

Applies (up) or reverts (down) the loopback4-chat-service migrations.
  up      apply every pending migration
  down    revert every applied migration of this package

Options:
  -c, --count <n>          apply or revert at most n migrations
      --mysql              use migrations-mysql/ and the mysql driver
                           (also: MYSQL_MIGRATION=true, or a mysql:// URL)
      --database-url <url> database to migrate (default: DATABASE_URL)
  -h, --help               show this text

Without a URL the connection comes from DB_HOST, DB_PORT, DB_USER,
DB_PASSWORD, DB_DATABASE and DB_SCHEMA (PostgreSQL schema).
Applied migrations are recorded in the table chat_service_migrations.`;

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
        command.count = parseCount(value());
        break;
      case '--mysql':
        if (inline !== undefined) throw new Error('--mysql takes no value.');
        command.mysql = true;
        break;
      case '--database-url':
        command.databaseUrl = value();
        break;
      default:
        throw new Error(
          arg.startsWith('-')
            ? `Unknown option "${arg}".`
            : `Unknown command "${arg}": expected up or down.`,
        );
    }
  }
  if (!command.direction) throw new Error('Missing command: up or down.');
  return command as MigrateCommand;
}

function splitInline(arg: string): [string, string?] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1) {
    throw new Error(`--count must be a positive integer, got "${text}".`);
  }
  return count;
}
