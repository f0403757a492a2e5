import {randomUUID} from 'crypto';
import {Entity} from '@loopback/repository';
import {expect} from '@loopback/testlab';
import fs from 'fs';
import {
  Attachment,
  AttachmentDownload,
  ChatEvent,
  Conversation,
  Member,
  Message,
} from '../..';
import {CHAT_MIGRATIONS_TABLE, runMigrations} from '../../migrate';
import {migrationsDir} from '../../migrate/connection';
import {CHAT_TABLES as CHECKED_AT_START} from '../../services';
import {givenScratchDatabase, ScratchDatabase, testBackend} from '../fixtures';

const MODELS: (typeof Entity)[] = [
  Conversation,
  Member,
  Message,
  ChatEvent,
  Attachment,
  AttachmentDownload,
];

// Both migration folders create these, under these names.
const CHAT_TABLES = [
  'chat_attachment_downloads',
  'chat_attachments',
  'chat_conversations',
  'chat_event_clock',
  'chat_event_queue',
  'chat_events',
  'chat_last_seen',
  'chat_member_periods',
  'chat_members',
  'chat_messages',
  'chat_presence',
  CHAT_MIGRATIONS_TABLE,
].sort();
const UNIQUE_INDEXES = [
  'chat_attachments_storage_key_uq',
  'chat_conversations_direct_key_uq',
  'chat_conversations_external_id_uq',
  'chat_members_conversation_user_uq',
  'chat_messages_client_id_uq',
  'chat_messages_conversation_seq_uq',
];
const INDEXES = [
  ...UNIQUE_INDEXES,
  'chat_attachment_downloads_attachment_idx',
  'chat_attachments_conversation_idx',
  'chat_attachments_message_idx',
  'chat_events_conversation_idx',
  'chat_events_created_at_idx',
  'chat_member_periods_conversation_idx',
  'chat_member_periods_user_idx',
  'chat_members_user_idx',
  'chat_messages_parent_idx',
  'chat_presence_instance_idx',
  'chat_presence_updated_idx',
].sort();

const {db} = testBackend();
const mysql = db === 'mysql';
const SCHEMA = mysql ? 'DATABASE()' : 'current_schema()';

describe(`migrations (${mysql ? 'MySQL/MariaDB' : 'PostgreSQL'})`, () => {
  const names = migrationNames(db);
  let scratch: ScratchDatabase;
  const up = (count?: number) =>
    runMigrations({direction: 'up', databaseUrl: scratch.url, mysql, count});
  const down = (count?: number) =>
    runMigrations({direction: 'down', databaseUrl: scratch.url, mysql, count});
  const downAll = () =>
    runMigrations({
      direction: 'down',
      databaseUrl: scratch.url,
      mysql,
      all: true,
    });

  before(async () => {
    scratch = await givenScratchDatabase('chat_migrations');
    // a host's own tables, including db-migrate's default record table
    await scratch.client.query('CREATE TABLE host_orders (id int PRIMARY KEY)');
    await scratch.client.query('CREATE TABLE migrations (id int PRIMARY KEY)');
  });
  after(() => scratch?.drop());

  it('has the same migrations, in the same order, for both databases', () => {
    expect(migrationNames('mysql')).to.eql(migrationNames('postgres'));
    expect(names).to.containEql('20261122000001-chat-core');
    for (const dialect of ['postgres', 'mysql'] as const) {
      const sqls = fs.readdirSync(`${migrationsDir(dialect)}/sqls`);
      for (const name of names) {
        expect(sqls).to.containDeep([`${name}-up.sql`, `${name}-down.sql`]);
      }
    }
  });

  it('creates the tables the start-up check looks for, and no others', () => {
    expect([...CHECKED_AT_START, CHAT_MIGRATIONS_TABLE].sort()).to.eql(
      CHAT_TABLES,
    );
  });

  it('applies every migration up, creating the schema the code uses', async () => {
    expect(await up()).to.eql(names);
    await expectChatSchema();
    const records = await scratch.client.query(
      `SELECT name FROM ${CHAT_MIGRATIONS_TABLE}`,
    );
    expect(records).to.have.length(names.length);
  });

  it('applies nothing when everything is applied', async () => {
    expect(await up()).to.eql([]);
  });

  it('reverts only the latest migration without a count', async () => {
    expect(await down()).to.eql([names[names.length - 1]]);
    expect(await up()).to.eql([names[names.length - 1]]);
  });

  it('refuses a count together with all', async () => {
    await expect(
      runMigrations({
        direction: 'down',
        databaseUrl: scratch.url,
        all: true,
        count: 2,
      }),
    ).to.be.rejectedWith('Give a count or all, not both.');
  });

  it('reverts every migration with all, without touching host tables', async () => {
    expect(await downAll()).to.eql([...names].reverse());
    const remaining = await scratch.client.tables();
    expect(remaining.filter(t => t.startsWith('chat_'))).to.eql([
      CHAT_MIGRATIONS_TABLE,
    ]);
    expect(remaining).to.containDeep(['host_orders', 'migrations']);
    expect(await indexes()).to.eql([]);
    const records = await scratch.client.query(
      `SELECT name FROM ${CHAT_MIGRATIONS_TABLE}`,
    );
    expect(records).to.have.length(0);
  });

  it('applies them again after a full revert', async () => {
    expect(await up()).to.eql(names);
    await expectChatSchema();
  });

  it('reverts and applies one migration with count', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const reverted = await runMigrations({
      direction: 'down',
      databaseUrl: scratch.url,
      mysql,
      count: 1,
      log,
    });
    expect(reverted).to.eql([names[names.length - 1]]);
    const applied = await runMigrations({
      direction: 'up',
      databaseUrl: scratch.url,
      mysql,
      count: 1,
      log,
    });
    expect(applied).to.eql(reverted);
    expect(lines.join('\n')).to.match(/Reverted 1 migration/);
    expect(lines.join('\n')).to.match(/Applied 1 migration/);
    await expectChatSchema();
  });

  it('gives queued events their ids when the event queue is reverted', async () => {
    const clock = async () => {
      const [row] = await scratch.client.query<{position: string}>(
        'SELECT position FROM chat_event_clock',
      );
      return Number(row.position);
    };
    const position = await clock();
    await scratch.client.query(
      `INSERT INTO chat_event_queue
         (tenant_id, conversation_id, type, actor_id, payload, created_at)
       VALUES ('', $1, 'message.created', NULL, '{}', $2)`,
      [randomUUID(), new Date()],
    );
    const queue = '20261122000004-chat-event-queue';
    const after = names.length - names.indexOf(queue);
    expect((await down(after)).pop()).to.equal(queue);
    const events = await scratch.client.query<{id: string}>(
      'SELECT id FROM chat_events',
    );
    expect(events.map(e => Number(e.id))).to.eql([position + 1]);
    expect(await clock()).to.equal(position + 1);
    await scratch.client.query('DELETE FROM chat_events');
    expect(await up(after)).to.eql(names.slice(-after));
  });

  it('keeps last-seen times through a revert of the presence rows', async () => {
    const lastSeen = '20261207190500-chat-last-seen';
    const after = names.length - names.indexOf(lastSeen);
    const at = new Date('2026-01-02T03:04:05.678Z');
    await scratch.client.query(
      `INSERT INTO chat_last_seen (tenant_id, user_id, last_seen_at)
       VALUES ('t', 'u', $1)`,
      [at],
    );
    expect((await down(after)).pop()).to.equal(lastSeen);
    expect(await up(after)).to.eql(names.slice(-after));
    const rows = await scratch.client.query<{at: string}>(
      "SELECT last_seen_at AS at FROM chat_last_seen WHERE user_id = 'u'",
    );
    expect(rows.map(r => new Date(r.at).toISOString())).to.eql([
      at.toISOString(),
    ]);
    expect(
      await scratch.client.query('SELECT user_id FROM chat_presence'),
    ).to.eql([]);
  });

  it('rejects with the driver error when the database is unreachable', async () => {
    await expect(
      runMigrations({
        direction: 'down',
        databaseUrl: `${mysql ? 'mysql' : 'postgres'}://nobody:secret@127.0.0.1:1/none`,
      }),
    ).to.be.rejectedWith(/ECONNREFUSED/);
  });

  /**
   * Every model's table with a primary key and a column for each property
   * (NOT NULL where the property is required), and every index.
   */
  async function expectChatSchema() {
    for (const model of MODELS) {
      const table = model.definition.settings.postgresql.table as string;
      const columns = new Map(
        (
          await scratch.client.query<{name: string; nullable: string}>(
            `SELECT column_name AS "name", is_nullable AS "nullable"
             FROM information_schema.columns
             WHERE table_schema = ${SCHEMA} AND table_name = $1`,
            [table],
          )
        ).map(c => [c.name, c.nullable]),
      );
      for (const [name, property] of Object.entries(
        model.definition.properties,
      )) {
        const column = property.postgresql?.columnName ?? name;
        expect(columns.has(column)).to.be.true();
        if (property.required || property.id) {
          expect({table, column, nullable: columns.get(column)}).to.eql({
            table,
            column,
            nullable: 'NO',
          });
        }
      }
    }
    const chatTables = (await scratch.client.tables()).filter(t =>
      t.startsWith('chat_'),
    );
    expect(chatTables).to.eql(CHAT_TABLES);
    const withKey = await scratch.client.query<{name: string}>(
      `SELECT table_name AS "name" FROM information_schema.table_constraints
       WHERE table_schema = ${SCHEMA} AND constraint_type = 'PRIMARY KEY'`,
    );
    expect(withKey.map(t => t.name)).to.containDeep(chatTables);
    expect(await indexes()).to.eql(INDEXES);
    expect(await indexes(true)).to.eql(UNIQUE_INDEXES);
  }

  /** The component's secondary indexes (or the unique ones), sorted. */
  async function indexes(uniqueOnly = false): Promise<string[]> {
    const rows = await scratch.client.query<{name: string}>(
      mysql
        ? `SELECT DISTINCT index_name AS "name" FROM information_schema.statistics
           WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'
             AND table_name LIKE 'chat\\_%'
             ${uniqueOnly ? 'AND non_unique = 0' : ''}`
        : `SELECT indexname AS "name" FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename LIKE 'chat\\_%'
             AND indexname NOT LIKE '%\\_pkey'
             ${uniqueOnly ? "AND indexdef LIKE 'CREATE UNIQUE INDEX%'" : ''}`,
    );
    return rows.map(r => r.name).sort();
  }
});

/** The migration names of a folder, in the order db-migrate runs them. */
function migrationNames(dialect: 'postgres' | 'mysql'): string[] {
  return fs
    .readdirSync(migrationsDir(dialect))
    .filter(f => f.endsWith('.js'))
    .map(f => f.replace(/\.js$/, ''))
    .sort();
}
