import {SignJWT} from 'jose';
import {Pool} from 'pg';
import {BENCH_JWT_SECRET, DATA_SET} from './config';

/** A member of a conversation: who sends or reads where. */
export interface Pair {
  userId: string;
  conversationId: string;
}

/** What the scenarios rotate over, read from the seeded database. */
export interface Fixtures {
  /** 2,000 memberships at random: sends spread over many conversations. */
  sendPairs: Pair[];
  /** Members of the hottest conversation (the largest group). */
  hotPairs: Pair[];
  /** Up to 4 members of each of up to 500 conversations with 60+ messages. */
  historyPairs: Pair[];
  /** Same, 300+ messages, with a `before` in the oldest tenth. */
  deepPairs: (Pair & {before: number})[];
  /** Memberships at least 20 messages behind, with their position. */
  readPairs: (Pair & {lastReadSeq: number})[];
  /** Staff users: about 43 conversations each (full pages). */
  staffUsers: string[];
  /** The other users, in a fixed order (tokens are signed on demand). */
  regularUsers: string[];
  /** Bearer tokens by user id. */
  tokens: Map<string, string>;
}

const PAIR = 'm.user_id AS "userId", m.conversation_id AS "conversationId"';

export async function loadFixtures(pool: Pool): Promise<Fixtures> {
  const pairs = async <T extends Pair>(sql: string) =>
    (await pool.query<T>(sql)).rows;
  const sendPairs = await pairs(
    `SELECT ${PAIR} FROM chat_members m ORDER BY md5(m.id::text) LIMIT 2000`,
  );
  const hotPairs = await pairs(
    `SELECT ${PAIR} FROM chat_members m
      JOIN bench.conversations c ON c.id = m.conversation_id
     WHERE c.idx = 0 ORDER BY m.user_id`,
  );
  const historyPairs = await pairs(historySql(60, 500, ''));
  const deepPairs = await pairs<Pair & {before: number}>(
    historySql(300, 200, ', (c.last_seq / 10 + 51)::int AS before'),
  );
  const readPairs = await pairs<Pair & {lastReadSeq: number}>(
    `SELECT ${PAIR}, m.last_read_seq::int AS "lastReadSeq"
       FROM chat_members m JOIN chat_conversations c ON c.id = m.conversation_id
      WHERE c.last_seq - m.last_read_seq >= 20
      ORDER BY md5(m.id::text) LIMIT 4000`,
  );
  const {rows} = await pool.query<{id: string}>(
    'SELECT id FROM bench.users ORDER BY idx',
  );
  const staffUsers = rows.slice(0, DATA_SET.staff).map(r => r.id);
  const regularUsers = rows.slice(DATA_SET.staff).map(r => r.id);
  const fixtures = {
    sendPairs,
    hotPairs,
    historyPairs,
    deepPairs,
    readPairs,
    staffUsers,
    regularUsers,
    tokens: new Map<string, string>(),
  };
  const users = new Set(staffUsers);
  for (const list of [
    sendPairs,
    hotPairs,
    historyPairs,
    deepPairs,
    readPairs,
  ]) {
    for (const p of list) users.add(p.userId);
  }
  for (const user of users) fixtures.tokens.set(user, await signToken(user));
  return fixtures;
}

/** Up to 4 members each of the `limit` largest conversations with `min`+. */
function historySql(min: number, limit: number, extra: string): string {
  return `SELECT ${PAIR}${extra}
    FROM (SELECT id, last_seq FROM chat_conversations
           WHERE last_seq >= ${min} ORDER BY last_seq DESC, id LIMIT ${limit}) c
    CROSS JOIN LATERAL (SELECT user_id, conversation_id FROM chat_members
           WHERE conversation_id = c.id ORDER BY md5(user_id) LIMIT 4) m
    ORDER BY md5(m.user_id || m.conversation_id::text)`;
}

const secretKey = new TextEncoder().encode(BENCH_JWT_SECRET);

/** An HS256 token as the demo signs them, valid for three hours. */
export function signToken(userId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({alg: 'HS256', typ: 'JWT'})
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('3h')
    .sign(secretKey);
}

/** The token of `userId` (signed when fixtures were loaded). */
export function tokenOf(fixtures: Fixtures, userId: string): string {
  const token = fixtures.tokens.get(userId);
  if (!token) throw new Error(`No token for ${userId}`);
  return token;
}
