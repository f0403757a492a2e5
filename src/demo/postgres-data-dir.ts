import {execFileSync} from 'child_process';
import {randomBytes} from 'crypto';
import fs from 'fs';
import path from 'path';
import type {Client} from 'pg';

// Helpers of embedded-postgres.ts: what the data directory needs when the
// server runs as the `postgres` OS user (this process may be root).

const isRoot = () => process.getuid?.() === 0;

/**
 * Throws a helpful error when, running as root, a parent of `target` is not
 * traversable by other users: the server runs as the `postgres` OS user and
 * must reach both its binaries and its data directory.
 */
export function checkTraversable(target: string, what: string): void {
  if (!isRoot()) return;
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir, {throwIfNoEntry: false});
    if (stat && (stat.mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" OS user, which cannot reach ` +
          `${what} ${target}: ${dir} is not traversable by other users ` +
          `(chmod o+x it, use a checkout outside it, or set DATABASE_URL).`,
      );
    }
    if (path.dirname(dir) === dir) return;
  }
}

/**
 * The superuser password: random; kept next to a persistent data directory
 * (`<dataDir>.password`, mode 0600) so a restart can log in again.
 */
export function readOrCreatePassword(
  dataDir: string,
  persistent: boolean,
): string {
  if (!persistent) return randomBytes(18).toString('hex');
  const file = `${dataDir}.password`;
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(
      `${dataDir} holds a database but ${file} (its password) is missing; ` +
        `delete ${dataDir} to start afresh.`,
    );
  }
  const password = randomBytes(18).toString('hex');
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, `${password}\n`, {mode: 0o600});
  return password;
}

/**
 * When running as root, makes sure the `postgres` OS user exists and owns an
 * existing data directory (a new container may have lost the user).
 */
export function ensurePostgresUser(dataDir: string): void {
  if (!isRoot()) return;
  try {
    execFileSync('id', ['-u', 'postgres'], {stdio: 'ignore'});
    return;
  } catch {
    // missing: create it as embedded-postgres would
  }
  execFileSync('groupadd', ['postgres'], {stdio: 'ignore'});
  execFileSync('useradd', ['-g', 'postgres', 'postgres'], {stdio: 'ignore'});
  execFileSync('chown', ['-R', 'postgres:postgres', dataDir]);
}

/** Creates `database` on the server unless it exists. */
export async function createDatabaseIfMissing(
  server: {getPgClient(database?: string, host?: string): Client},
  database: string,
): Promise<void> {
  // 127.0.0.1, not localhost: the server listens on IPv4 loopback only
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [database],
    );
    if (found.rowCount === 0) {
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(database)}`,
      );
    }
  } finally {
    await client.end();
  }
}
