// `npm start`: the demo host application on an embedded PostgreSQL (data
// under .data/postgres) or on DATABASE_URL. Environment: PORT (3000),
// HOST (127.0.0.1), DATABASE_URL, CHAT_ORM (juggler | sequelize),
// CHAT_EVENT_BUS (memory | postgres | redis), REDIS_URL (with redis),
// CHAT_ATTACHMENT_MAX_BYTES (attachment files under .data/attachments),
// JWT_SECRET, JWT_ISSUER.
import {randomBytes} from 'crypto';
import path from 'path';
import {packageRoot} from '../migrate/connection';
import {runMigrations} from '../migrate';
import {ChatOrm} from '../types';
import {DemoApplication} from './application';
import {eventBusFromEnv} from './event-bus-env';
import {closeChatDataSource} from '../datasource';
import {startEmbeddedPostgres} from './embedded-postgres';
import {DEMO_USERS, signDemoToken} from './tokens';

interface Stoppable {
  stop(): Promise<void>;
}

/** What to stop on exit, in order: the application, then its database. */
const stoppables: Stoppable[] = [];

/** Starts the demo; resolves once it listens. */
export async function main(env: NodeJS.ProcessEnv = process.env) {
  const orm = parseOrm(env.CHAT_ORM);
  const eventBus = eventBusFromEnv(env);
  const attachmentMaxBytes = parseMaxBytes(env.CHAT_ATTACHMENT_MAX_BYTES);
  const attachmentsDirectory = path.join(packageRoot(), '.data', 'attachments');
  const port = parsePort(env.PORT);
  const host = env.HOST ?? '127.0.0.1';
  installSignalHandlers();

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
    stoppables.unshift(server);
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
    },
    {
      rest: {port, host, gracePeriodForClose: 2000},
      // signals are handled below: stop the app, then the database
      shutdown: {signals: []},
    },
  );
  stoppables.unshift({stop: () => stopApp(app)});
  await app.start();

  const url = app.restServer.url ?? `http://${host}:${port}`;
  console.log(`\nChat service demo listening on ${url}`);
  console.log(`Chat page:    ${url}/ (gets the demo tokens from /demo/tokens)`);
  console.log(`API explorer: ${url}/explorer`);
  console.log(`Health:       ${url}/health\n`);
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

function installSignalHandlers() {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    process.exitCode = await stopAll();
    process.exit();
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

/** Stops the application first, then the database it used. */
async function stopAll(): Promise<number> {
  let code = 0;
  for (const s of stoppables.splice(0)) {
    await s.stop().catch(err => {
      console.error(`Error while stopping: ${err?.message ?? err}`);
      code = 1;
    });
  }
  return code;
}

if (require.main === module) {
  main().catch(async err => {
    console.error(`The demo could not start: ${err?.message ?? err}`);
    await stopAll();
    process.exit(1);
  });
}
