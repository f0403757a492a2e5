import {expect} from '@loopback/testlab';
import {Client} from 'pg';
import {CHAT_MIGRATIONS_TABLE, runMigrations} from '../../migrate';
import {givenScratchDatabase, ScratchDatabase} from '../fixtures/database';

const CHAT_TABLES = [
  'chat_conversations',
  'chat_events',
  'chat_members',
  'chat_messages',
];

const UNIQUE_INDEXES = [
  'chat_conversations_direct_key_uq',
  'chat_conversations_external_id_uq',
  'chat_members_conversation_user_uq',
  'chat_messages_client_id_uq',
  'chat_messages_conversation_seq_uq',
];

describe('migrations (PostgreSQL)', () => {
  let db: ScratchDatabase;
  let client: Client;

  before(async () => {
    db = await givenScratchDatabase('chat_migrations');
    client = new Client({connectionString: db.url});
    await client.connect();
    // a host's own tables, including db-migrate's default record table
    await client.query('CREATE TABLE host_orders (id int PRIMARY KEY)');
    await client.query('CREATE TABLE migrations (id int PRIMARY KEY)');
  });

  after(async () => {
    await client?.end();
    await db?.drop();
  });

  it('applies every migration up', async () => {
    const applied = await runMigrations({direction: 'up', databaseUrl: db.url});
    expect(applied).to.containEql('20261122000001-chat-core');
    expect(await tables()).to.containDeep(CHAT_TABLES);
    expect(await uniqueIndexes()).to.containDeep(UNIQUE_INDEXES);
    const records = await client.query(
      `SELECT name FROM ${CHAT_MIGRATIONS_TABLE}`,
    );
    expect(records.rowCount).to.equal(applied.length);
  });

  it('applies nothing when everything is applied', async () => {
    expect(await runMigrations({direction: 'up', databaseUrl: db.url})).to.eql(
      [],
    );
  });

  it('reverts every migration down without touching host tables', async () => {
    const reverted = await runMigrations({
      direction: 'down',
      databaseUrl: db.url,
    });
    expect(reverted).to.containEql('20261122000001-chat-core');
    const remaining = await tables();
    for (const table of CHAT_TABLES) expect(remaining).to.not.containEql(table);
    expect(remaining).to.containDeep(['host_orders', 'migrations']);
    expect(await uniqueIndexes()).to.eql([]);
    const records = await client.query(
      `SELECT name FROM ${CHAT_MIGRATIONS_TABLE}`,
    );
    expect(records.rowCount).to.equal(0);
  });

  it('applies them again after a full revert', async () => {
    await runMigrations({direction: 'up', databaseUrl: db.url});
    expect(await tables()).to.containDeep(CHAT_TABLES);
    expect(await uniqueIndexes()).to.containDeep(UNIQUE_INDEXES);
  });

  it('reverts and applies one migration with count', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const down = await runMigrations({
      direction: 'down',
      databaseUrl: db.url,
      count: 1,
      log,
    });
    expect(down).to.have.length(1);
    const up = await runMigrations({
      direction: 'up',
      databaseUrl: db.url,
      count: 1,
      log,
    });
    expect(up).to.eql(down);
    expect(lines.join('\n')).to.match(/Reverted 1 migration/);
    expect(lines.join('\n')).to.match(/Applied 1 migration/);
  });

  it('rejects with the driver error when the database is unreachable', async () => {
    await expect(
      runMigrations({
        direction: 'down',
        databaseUrl: 'postgres://nobody:secret@127.0.0.1:1/none',
      }),
    ).to.be.rejectedWith(/ECONNREFUSED/);
  });

  async function tables(): Promise<string[]> {
    const {rows} = await client.query<{tableName: string}>(
      `SELECT table_name AS "tableName" FROM information_schema.tables
        WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    return rows.map(r => r.tableName);
  }

  async function uniqueIndexes(): Promise<string[]> {
    const {rows} = await client.query<{indexname: string}>(
      `SELECT indexname FROM pg_indexes
        WHERE schemaname = current_schema() AND indexname LIKE 'chat\\_%'
          AND indexdef LIKE 'CREATE UNIQUE INDEX%'
          AND indexname NOT LIKE '%\\_pkey'
        ORDER BY indexname`,
    );
    return rows.map(r => r.indexname);
  }
});
