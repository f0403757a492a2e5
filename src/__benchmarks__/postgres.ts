import fs from 'fs';
import os from 'os';
import path from 'path';
import {Pool} from 'pg';
import {startEmbeddedPostgres} from '../demo/embedded-postgres';
import {runMigrations} from '../migrate';
import {POSTGRES_SETTINGS} from './config';

const DATA_DIR_PREFIX = 'chat-bench-pg-';

/** The throwaway PostgreSQL server of one bench run. */
export interface BenchPostgres {
  /** A small pool on the `postgres` database, for server-wide statements. */
  pool: Pool;
  serverVersion: string;
  /** Creates a database (one per data-set size), migrated. */
  createDatabase(name: string): Promise<BenchDatabase>;
  stop(): Promise<void>;
}

/** One migrated database on the bench server. */
export interface BenchDatabase {
  name: string;
  url: string;
  /** A small pool for seeding, fixtures and EXPLAIN. */
  pool: Pool;
}

/**
 * Starts an embedded PostgreSQL in a new temporary directory (deleted on
 * stop), with durable settings sized for the machine.
 */
export async function startBenchPostgres(
  log: (line: string) => void,
): Promise<BenchPostgres> {
  sweepStaleDataDirs();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), DATA_DIR_PREFIX));
  const server = await startEmbeddedPostgres({
    dataDir,
    persistent: false,
    settings: Object.fromEntries(POSTGRES_SETTINGS.map(s => s.split('='))),
    releaseSignals: true,
  }).catch(err => {
    fs.rmSync(dataDir, {recursive: true, force: true});
    throw err;
  });
  const pools: Pool[] = [];
  const newPool = (url: string) => {
    const pool = new Pool({connectionString: url, max: 4});
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const pool = newPool(server.url);
  const stop = async () => {
    await Promise.all(pools.map(p => p.end().catch(() => undefined)));
    await server.stop();
    fs.rmSync(dataDir, {recursive: true, force: true});
  };
  const createDatabase = async (name: string): Promise<BenchDatabase> => {
    await pool.query(`CREATE DATABASE ${name}`);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    await runMigrations({direction: 'up', databaseUrl: url.toString(), log});
    const db = {name, url: url.toString(), pool: newPool(url.toString())};
    await db.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return db;
  };
  try {
    const {rows} = await pool.query<{v: string}>(
      "SELECT current_setting('server_version') AS v",
    );
    log(`PostgreSQL ${rows[0].v} in ${dataDir} (port ${server.port})`);
    return {pool, serverVersion: rows[0].v, createDatabase, stop};
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The settings in effect that matter for the figures. */
export async function databaseSettings(
  pool: Pool,
): Promise<Record<string, string>> {
  const names = [
    ...POSTGRES_SETTINGS.map(s => s.split('=')[0]),
    'fsync',
    'synchronous_commit',
    'full_page_writes',
  ];
  const {rows} = await pool.query<{name: string; setting: string}>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings
      WHERE name = ANY($1) ORDER BY name`,
    [names],
  );
  return Object.fromEntries(rows.map(r => [r.name, r.setting]));
}

/**
 * Deletes data directories of earlier runs that were killed before their
 * clean-up: no server running in them, untouched for ten minutes.
 */
function sweepStaleDataDirs(): void {
  const cutoff = Date.now() - 10 * 60 * 1000;
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(DATA_DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    const stat = fs.statSync(dir, {throwIfNoEntry: false});
    if (!stat?.isDirectory() || stat.mtimeMs >= cutoff) continue;
    const pidFile = path.join(dir, 'postmaster.pid');
    if (fs.existsSync(pidFile) && isRunning(pidFile)) continue;
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

function isRunning(pidFile: string): boolean {
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
