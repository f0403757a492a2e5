import {ChildProcess, spawn} from 'child_process';
import fs from 'fs';
import net from 'net';
import {performance} from 'perf_hooks';
import {freePort} from '../demo/embedded-postgres';

/** A redis-server of one bench run. */
export interface BenchRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  stop(): Promise<void>;
}

const BINARIES = [
  '/usr/bin/redis-server',
  '/usr/local/bin/redis-server',
  '/usr/sbin/redis-server',
];
const START_TIMEOUT_MS = 10_000;

/** Every redis-server started and still running, killed when the bench exits. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts Debian's `redis-server` (or `REDIS_SERVER`) on a free loopback
 * port without persistence, as the test fixture `TestRedisServer` does
 * (the bench may not import the tests); resolves once it answers PING.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child = spawn(
    redisServerBinary(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', ''],
    {stdio: ['ignore', 'ignore', 'pipe']},
  );
  running.add(child);
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (!running.has(child)) return;
    child.kill('SIGTERM');
    await exited;
  };
  const started = performance.now();
  while (!(await answersPing(port))) {
    if (!running.has(child) || performance.now() - started > START_TIMEOUT_MS) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return {url: `redis://127.0.0.1:${port}`, stop};
}

function answersPing(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', chunk => done(chunk.toString().startsWith('+PONG')));
  });
}

function redisServerBinary(): string {
  const found =
    process.env.REDIS_SERVER ?? BINARIES.find(file => fs.existsSync(file));
  if (!found) {
    throw new Error(
      'redis-server was not found (Debian: apt-get install redis-server; ' +
        'or set REDIS_SERVER to its path).',
    );
  }
  return found;
}
