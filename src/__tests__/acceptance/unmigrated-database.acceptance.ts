import {RestApplication} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {ChatDataSource} from '../..';
import {CHAT_MIGRATIONS_TABLE, runMigrations} from '../../migrate';
import {
  closeTestDataSource,
  describeBackend,
  givenScratchDatabase,
  givenTestApp,
  ScratchDatabase,
  stopTestApp,
  testBackend,
} from '../fixtures';

const {db} = testBackend();
const mysql = db === 'mysql';
// the command the start-up error names
const COMMAND = `npx chat-service-migrate up${mysql ? ' --mysql' : ''}`;

describe(`start on an unmigrated database (acceptance, ${describeBackend()})`, () => {
  let scratch: ScratchDatabase;
  let failed: RestApplication | undefined;

  beforeEach(async () => {
    scratch = await givenScratchDatabase('chat_unmigrated');
    failed = undefined;
  });
  afterEach(async () => {
    if (failed) {
      const dataSource = failed.getSync<ChatDataSource>('datasources.chatDb');
      await failed.stop().catch(() => undefined);
      await closeTestDataSource(dataSource);
    }
    await scratch.drop();
  });

  /** Starts the component on the scratch database; answers the failure. */
  async function startFailure(): Promise<Error> {
    let app: RestApplication | undefined;
    const beforeStart = (a: RestApplication) => (app = a);
    try {
      await stopTestApp(
        await givenTestApp({}, {databaseUrl: scratch.url, beforeStart}),
      );
    } catch (err) {
      failed = app;
      return err;
    }
    throw new Error('The application started.');
  }

  it('fails with one line saying the migrations have not run, and how to run them', async () => {
    const error = await startFailure();
    expect(error.message).to.equal(
      'loopback4-chat-service: the chat tables do not exist: the migrations ' +
        `have not run on this database. Run \`${COMMAND}\` with ` +
        'DATABASE_URL (or DB_HOST, DB_DATABASE, ...) naming it.',
    );
    expect(error.stack).to.equal(`MigrationsPendingError: ${error.message}`);
    expect(error).to.containDeep({code: 'MIGRATIONS_PENDING'});
  });

  it('names the migration that has not run', async () => {
    const url = scratch.url;
    await runMigrations({direction: 'up', databaseUrl: url, mysql});
    const [latest] = await runMigrations({
      direction: 'down',
      databaseUrl: url,
      mysql,
    });
    const error = await startFailure();
    expect(error.message).to.equal(
      `loopback4-chat-service: migration ${latest} has not run on this ` +
        `database. Run \`${COMMAND}\` with DATABASE_URL (or DB_HOST, ` +
        'DB_DATABASE, ...) naming it.',
    );
  });

  it('starts on tables migrated by the host own tool (no record table)', async () => {
    await runMigrations({direction: 'up', databaseUrl: scratch.url, mysql});
    await scratch.client.query(`DROP TABLE ${CHAT_MIGRATIONS_TABLE}`);
    const testApp = await givenTestApp({}, {databaseUrl: scratch.url});
    await stopTestApp(testApp);
  });

  it('names the missing tables when there is no record table', async () => {
    await runMigrations({direction: 'up', databaseUrl: scratch.url, mysql});
    await scratch.client.query(`DROP TABLE ${CHAT_MIGRATIONS_TABLE}`);
    await scratch.client.query('DROP TABLE chat_last_seen');
    const error = await startFailure();
    expect(error.message).to.equal(
      'loopback4-chat-service: the table chat_last_seen does not exist: a ' +
        'migration has not run on this database. Run ' +
        `\`${COMMAND}\` (or your copy of the migrations) with DATABASE_URL ` +
        '(or DB_HOST, DB_DATABASE, ...) naming it.',
    );
  });
});
