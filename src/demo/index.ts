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
import {DemoApplication} from './application';
import {
  eventBusFromEnv,
  parseAttachmentDir,
  parseMaxBytes,
  parseOrm,
  parsePort,
  parseS3Settings,
  parseShutdownTimeout,
} from './env';
import {closeChatDataSource} from '../datasource';
import {startEmbeddedPostgres} from './embedded-postgres';
import {DEMO_USERS, signDemoToken} from './tokens';

interface Stoppable {
  /** What it is, for the line printed when it does not stop in time. */
  name: string;
  stop(): Promise<void>;
}

/** What to stop on exit, in order: the application, then its database. */
const stoppables: Stoppable[] = [];
/** What is stopping now, for the line printed when the stop takes too long. */
let stopping: Stoppable | undefined;

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
