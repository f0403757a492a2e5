// `npm start`: the demo host application on an embedded PostgreSQL (data
// under .data/postgres) or on DATABASE_URL. Environment: PORT (3000),
// HOST (127.0.0.1), DATABASE_URL, CHAT_ORM (juggler | sequelize),
// CHAT_EVENT_BUS (memory | postgres | redis), REDIS_URL (with redis),
// CHAT_ATTACHMENT_MAX_BYTES,
// CHAT_ATTACHMENT_DIR (attachment files; default .data/attachments),
// CHAT_S3_BUCKET (attachments in this S3 bucket instead), CHAT_S3_ENDPOINT
// (an S3-compatible service such as MinIO; path-style URLs), CHAT_S3_PREFIX
// (object key prefix), the AWS SDK's AWS_* variables (credentials;
// AWS_REGION, default us-east-1), JWT_SECRET, JWT_ISSUER,
// CHAT_SHUTDOWN_TIMEOUT_MS (on SIGTERM or SIGINT: the longest a graceful
// stop may take before the process exits with 1).
import {randomBytes} from 'crypto';
import path from 'path';
import {packageRoot} from '../migrate/connection';
import {runMigrations} from '../migrate';
import {ChatOrm, ChatS3StorageConfig} from '../types';
import {DemoApplication} from './application';
import {eventBusFromEnv} from './event-bus-env';
import {closeChatDataSource} from '../datasource';
import {startEmbeddedPostgres} from './embedded-postgres';
import {DEMO_USERS, signDemoToken} from './tokens';

interface Stoppable {
  /** What it is, for the line printed when it does not stop in time. */
  name: string;
  stop(): Promise<void>;
}

/** The S3 region when `AWS_REGION` is not set. */
const DEMO_S3_REGION = 'us-east-1';

/** What to stop on exit, in order: the application, then its database. */
const stoppables: Stoppable[] = [];
/** What is stopping now, for the line printed when the stop takes too long. */
let stopping: Stoppable | undefined;

/** Default of `CHAT_SHUTDOWN_TIMEOUT_MS`. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10000;
/** The REST server's wait for requests in flight when it stops, in ms. */
export const DEMO_GRACE_PERIOD_MS = 2000;

/** Starts the demo; resolves once it listens. */
export async function main(env: NodeJS.ProcessEnv = process.env) {
  const orm = parseOrm(env.CHAT_ORM);
  const eventBus = eventBusFromEnv(env);
  const attachmentMaxBytes = parseMaxBytes(env.CHAT_ATTACHMENT_MAX_BYTES);
  const attachmentsDirectory = parseAttachmentDir(env);
  const s3 = parseS3Settings(env);
  const port = parsePort(env.PORT);
  const host = env.HOST ?? '127.0.0.1';
  installSignalHandlers(parseShutdownTimeout(env.CHAT_SHUTDOWN_TIMEOUT_MS));

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = path.join(packageRoot(), '.data', 'postgres');
    console.log(`Starting embedded PostgreSQL (data in ${dataDir})…`);
    const server = await startEmbeddedPostgres({
      dataDir,
      persistent: true,
      database: 'chat',
      releaseSignals: true,
    });
    stoppables.unshift({
      name: 'the embedded PostgreSQL',
      stop: () => server.stop(),
    });
    databaseUrl = server.url;
  }
  await runMigrations({
    direction: 'up',
    databaseUrl,
    log: line => console.log(`[migrate] ${line}`),
  });

  let jwtSecret = env.JWT_SECRET;
  if (!jwtSecret) {
    jwtSecret = randomBytes(32).toString('base64url');
    console.log(
      'JWT_SECRET is not set: using a generated development secret for this ' +
        'run only (tokens stop working on restart). Set JWT_SECRET to keep them.',
    );
  }
  const jwtIssuer = env.JWT_ISSUER === '' ? undefined : env.JWT_ISSUER;
  const app = new DemoApplication(
    {
      databaseUrl,
      orm,
      ...eventBus,
      jwtSecret,
      jwtIssuer,
      attachmentsDirectory,
      attachmentMaxBytes,
      s3,
    },
    {
      // the REST server waits this long for requests in flight when it
      // stops, then cuts what is left
      rest: {port, host, gracePeriodForClose: DEMO_GRACE_PERIOD_MS},
      // signals are handled below: stop the app, then the database
      shutdown: {signals: []},
    },
  );
  stoppables.unshift({
    get name() {
      return describeAppStop(app);
    },
    stop: () => stopApp(app),
  });
  await app.start();

  const url = app.restServer.url ?? `http://${host}:${port}`;
  console.log(`\nChat service demo listening on ${url}`);
  console.log(`Chat page:    ${url}/ (gets the demo tokens from /demo/tokens)`);
  console.log(`API explorer: ${url}/explorer`);
  console.log(`Health:       ${url}/health`);
  console.log(
    `Attachments:  ${s3 ? `s3://${s3.bucket}/${s3.prefix ?? ''}` : attachmentsDirectory}\n`,
  );
  for (const user of DEMO_USERS) {
    const token = await signDemoToken(user, {
      secret: jwtSecret,
      issuer: jwtIssuer,
    });
    console.log(`Bearer token for ${user.name} (${user.id}), valid 24 h:`);
    console.log(`  ${token}\n`);
  }
  console.log(
    `Try: curl -H "Authorization: Bearer <token>" ${url}/conversations`,
  );
  return app;
}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${value}".`);
  }
  return port;
}

function parseOrm(value: string | undefined): ChatOrm | undefined {
  if (!value) return undefined;
  if (value === 'juggler' || value === 'sequelize') return value;
  throw new Error(`CHAT_ORM must be juggler or sequelize, got "${value}".`);
}

function parseMaxBytes(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new Error(
      `CHAT_ATTACHMENT_MAX_BYTES must be a positive integer, got "${value}".`,
    );
  }
  return bytes;
}

/** `CHAT_ATTACHMENT_DIR`, absolute; default `.data/attachments` of the package. */
export function parseAttachmentDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(
    setting(env.CHAT_ATTACHMENT_DIR) ??
      path.join(packageRoot(), '.data', 'attachments'),
  );
}

/** An environment variable's value; an empty one counts as unset. */
function setting(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * The S3 bucket of `CHAT_S3_BUCKET` (with `CHAT_S3_ENDPOINT`, which turns
 * on path-style URLs, and `CHAT_S3_PREFIX`; the region of `AWS_REGION`,
 * default us-east-1), or none: local files.
 */
export function parseS3Settings(
  env: NodeJS.ProcessEnv,
): ChatS3StorageConfig | undefined {
  const bucket = env.CHAT_S3_BUCKET;
  if (!bucket) return undefined;
  const endpoint = setting(env.CHAT_S3_ENDPOINT);
  return {
    bucket,
    region: setting(env.AWS_REGION) ?? DEMO_S3_REGION,
    endpoint,
    prefix: setting(env.CHAT_S3_PREFIX),
    forcePathStyle: endpoint ? true : undefined,
  };
}

function parseShutdownTimeout(value: string | undefined): number {
  if (!value) return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new Error(
      `CHAT_SHUTDOWN_TIMEOUT_MS must be a positive integer, got "${value}".`,
    );
  }
  return ms;
}

/**
 * SIGTERM and SIGINT stop the application gracefully (it drains: see
 * README, "Graceful shutdown"), then the database; the process exits with
 * 0 when all of it stopped, 1 when something failed, or, past `timeoutMs`,
 * 1 with a line naming what had not stopped. A second signal exits at once.
 */
function installSignalHandlers(timeoutMs: number) {
  let signalled = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (signalled) {
      console.log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    signalled = true;
    console.log(`\n${signal}: stopping (at most ${timeoutMs} ms)…`);
    const deadline = setTimeout(() => {
      console.error(
        `Not stopped within ${timeoutMs} ms (CHAT_SHUTDOWN_TIMEOUT_MS): ` +
          `${stopping?.name ?? 'nothing'} did not stop; exiting with code 1.`,
      );
      process.exit(1);
    }, timeoutMs);
    const code = await stopAll();
    clearTimeout(deadline);
    console.log(code === 0 ? 'Stopped.' : 'Stopped, with errors.');
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    shutdown(signal).catch(() => process.exit(1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function stopApp(app: DemoApplication) {
  try {
    await app.stop();
  } catch (err) {
    // an application whose start failed cannot be stopped; close its
    // connections before the database goes away
    await closeChatDataSource(app.chatDataSource);
  }
}

/** What of a stopping application is left, for the deadline's line. */
function describeAppStop(app: DemoApplication): string {
  if (app.restServer.listening) {
    return (
      'the REST server (requests in flight, or event streams not yet ' +
      'taken by their clients)'
    );
  }
  return app.stopStep ?? 'the application';
}

/** Stops the application first, then the database it used. */
async function stopAll(): Promise<number> {
  let code = 0;
  for (const s of stoppables.splice(0)) {
    stopping = s;
    await s.stop().catch(err => {
      console.error(`Error while stopping: ${err?.message ?? err}`);
      code = 1;
    });
  }
  stopping = undefined;
  return code;
}

if (require.main === module) {
  main().catch(async err => {
    console.error(`The demo could not start: ${err?.message ?? err}`);
    await stopAll();
    process.exit(1);
  });
}
