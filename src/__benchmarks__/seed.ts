import {Pool, PoolClient} from 'pg';
import {CHAT_MIGRATIONS_TABLE} from '../migrate';
import {messageCounts} from './seed-plan';
import {
  SEED_CHAT_TABLES,
  SEED_HELPERS,
  SEED_OPTIONAL,
  SYNC_EVENT_SEQUENCE,
} from './seed-sql';

/** What the seed built, as the report shows it. */
export interface SeedSummary {
  messages: number;
  conversations: number;
  directConversations: number;
  members: number;
  users: number;
  events: number;
  largestConversation: number;
  medianConversation: number;
  unreadMemberships: number;
  seconds: number;
  databaseBytes: number;
}

/**
 * Empties the component's tables and fills them with the data set of
 * `totalMessages` messages, with INSERT … SELECT in one transaction, then
 * VACUUM ANALYZE and a checkpoint so the measurement starts from a steady
 * state.
 */
export async function seedDataSet(
  pool: Pool,
  totalMessages: number,
  log: (line: string) => void,
): Promise<SeedSummary> {
  const started = Date.now();
  const client = await pool.connect();
  let tables: string[];
  try {
    tables = await chatTables(client);
    await client.query(
      `TRUNCATE ${tables.map(t => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`,
    );
    // the data is consistent by construction: skip foreign-key triggers
    await client.query("SET session_replication_role = 'replica'");
    await client.query("SET work_mem = '256MB'");
    await client.query('BEGIN');
    for (const sql of SEED_HELPERS) {
      await client.query(
        sql,
        sql.includes('$1') ? [messageCounts(totalMessages)] : [],
      );
    }
    for (const sql of SEED_CHAT_TABLES) await timed(client, sql, log);
    for (const {table, statements} of SEED_OPTIONAL) {
      if (!tables.includes(table)) continue;
      for (const sql of statements) await timed(client, sql, log);
    }
    await client.query(SYNC_EVENT_SEQUENCE);
    await client.query('COMMIT');
    await client.query('RESET session_replication_role');
    await client.query('RESET work_mem');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw err;
  }
  client.release();
  const vacuum = Date.now();
  await pool.query(`VACUUM (ANALYZE) ${tables.map(t => `"${t}"`).join(', ')}`);
  await pool.query(
    'VACUUM (ANALYZE) bench.users, bench.conversations, bench.members',
  );
  await pool.query('CHECKPOINT');
  log(`  VACUUM ANALYZE + CHECKPOINT: ${Date.now() - vacuum} ms`);
  return summarize(pool, (Date.now() - started) / 1000);
}

async function chatTables(client: PoolClient): Promise<string[]> {
  const {rows} = await client.query<{tablename: string}>(
    `SELECT tablename FROM pg_tables
      WHERE schemaname = current_schema() AND tablename LIKE 'chat\\_%'
        AND tablename <> $1 ORDER BY tablename`,
    [CHAT_MIGRATIONS_TABLE],
  );
  return rows.map(r => r.tablename);
}

async function timed(
  client: PoolClient,
  sql: string,
  log: (line: string) => void,
) {
  const t = Date.now();
  const result = await client.query(sql);
  const what = sql.trim().split(/\s+/).slice(0, 3).join(' ');
  log(`  ${what}: ${result.rowCount ?? 0} rows, ${Date.now() - t} ms`);
}

async function summarize(pool: Pool, seconds: number): Promise<SeedSummary> {
  const {rows} = await pool.query(
    `SELECT
       (SELECT count(*) FROM chat_messages) AS messages,
       (SELECT count(*) FROM chat_conversations) AS conversations,
       (SELECT count(*) FROM chat_conversations WHERE type = 'direct') AS direct,
       (SELECT count(*) FROM chat_members) AS members,
       (SELECT count(DISTINCT user_id) FROM chat_members) AS users,
       (SELECT count(*) FROM chat_events) AS events,
       (SELECT max(last_seq) FROM chat_conversations) AS largest,
       (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY last_seq)
          FROM chat_conversations) AS median,
       (SELECT count(*) FROM chat_members m
          JOIN chat_conversations c ON c.id = m.conversation_id
         WHERE c.last_seq > m.last_read_seq) AS unread,
       pg_database_size(current_database()) AS bytes`,
  );
  const r = rows[0];
  return {
    messages: Number(r.messages),
    conversations: Number(r.conversations),
    directConversations: Number(r.direct),
    members: Number(r.members),
    users: Number(r.users),
    events: Number(r.events),
    largestConversation: Number(r.largest),
    medianConversation: Number(r.median),
    unreadMemberships: Number(r.unread),
    seconds: Math.round(seconds * 10) / 10,
    databaseBytes: Number(r.bytes),
  };
}
