import {ChildProcess, fork} from 'child_process';
import fs from 'fs';
import path from 'path';

/** What a server child process reports once it listens. */
export interface ReadyMessage {
  ready: true;
  url: string;
}

/** A server running in a child process of the bench. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
  memory(): {rssMiB: number; peakRssMiB: number};
  /** CPU time used so far (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/**
 * Forks `dist/__benchmarks__/<entry>.js` with `env` added to the
 * environment (and `nodeArgs` added to Node's flags) and waits for it to
 * report that it listens.
 */
export async function startServer(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child = fork(path.join(__dirname, `${entry}.js`), [], {
    env: {...process.env, ...env},
    // e.g. `--cpu-prof` to profile the servers
    execArgv: [
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ...nodeArgs,
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('message', (m: ReadyMessage) => {
      clearTimeout(timer);
      resolve(m.url);
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with code ${code} before listening`));
    });
  }).catch(async err => {
    await stopChild(child);
    throw err;
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    memory: () => readMemory(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    stop: () => stopChild(child),
  };
}

/** Stops a child by its PID: SIGTERM, then SIGKILL after five seconds. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running (on an error or a signal). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

function readMemory(pid: number): {rssMiB: number; peakRssMiB: number} {
  let status = '';
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return {rssMiB: NaN, peakRssMiB: NaN};
  }
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return {
    rssMiB: Math.round(kib('VmRSS') / 1024),
    peakRssMiB: Math.round(kib('VmHWM') / 1024),
  };
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function readCpuSeconds(pid: number): number {
  let stat = '';
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return NaN;
  }
  // after the command in parentheses: state is field 3, utime 14, stime 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * In a child: reports `url` to the parent, and stops with `stop` on SIGTERM
 * or when the parent goes away.
 */
export function serveUntilStopped(url: string, stop: () => Promise<void>) {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown);
  process.send?.({ready: true, url} satisfies ReadyMessage);
}
