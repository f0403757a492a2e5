import {DATA_SET} from './config';

// The statements that build the data set, in order. Helper tables live in
// the schema `bench`, which the application never reads.

const {users, groups, staff, maxGroupSize, historyDays, eventDays} = DATA_SET;
const regular = users - staff;

/** Parameter $1: messages per conversation (int[], index = idx). */
export const SEED_HELPERS = [
  'DROP SCHEMA IF EXISTS bench CASCADE',
  'CREATE SCHEMA bench',
  `CREATE TABLE bench.users AS
     SELECT i AS idx, md5('bench-user-' || i)::uuid::text AS id
     FROM generate_series(0, ${users - 1}) i`,
  'ALTER TABLE bench.users ADD PRIMARY KEY (idx)',
  // the last activity of each conversation lies in the last 14 days; its
  // messages are evenly spread over the ${historyDays} days before it
  `CREATE TABLE bench.conversations AS
     SELECT x.*, x.ends_at - interval '${historyDays} days' AS created_at,
       interval '${historyDays} days' / (x.n_msgs + 1) AS spacing
     FROM (
       SELECT n.ord::int - 1 AS idx,
         md5('bench-conversation-' || (n.ord - 1))::uuid AS id,
         CASE WHEN n.ord <= ${groups} THEN 'group' ELSE 'direct' END AS type,
         n.n_msgs,
         CASE WHEN n.ord <= ${groups}
           THEN LEAST(${maxGroupSize},
             3 + floor(197 / power(n.ord::float8, 0.7)))::int
           ELSE 2 END AS size,
         date_trunc('minute', now())
           - ((n.ord * 104729) % 20160) * interval '1 minute' AS ends_at
       FROM unnest($1::int[]) WITH ORDINALITY AS n(n_msgs, ord)
     ) x`,
  'ALTER TABLE bench.conversations ADD PRIMARY KEY (idx)',
  // groups: a staff owner, a staff admin, then regular users; direct
  // conversations: a staff user and a regular user. The regular users' seats
  // are numbered (groups first, then direct conversations) and go round all
  // regular users in a scrambled order: everyone is in a conversation, and
  // direct pairs are distinct.
  `CREATE TABLE bench.members AS
     WITH seats AS (
       SELECT idx, CASE WHEN type = 'group'
           THEN sum(size - 2) FILTER (WHERE type = 'group')
             OVER (ORDER BY idx) - (size - 2)
           ELSE sum(size - 2) FILTER (WHERE type = 'group') OVER ()
             + idx - ${groups} END AS first
       FROM bench.conversations)
     SELECT c.idx AS conv_idx, k AS ord,
       CASE WHEN k = 0 AND c.type = 'group' THEN c.idx % ${staff}
         WHEN k = 1 AND c.type = 'group' THEN (c.idx * 7 + 1) % ${staff}
         WHEN k = 0 THEN (c.idx - ${groups}) % ${staff}
         ELSE ${staff} + ((s.first + k - CASE c.type WHEN 'group' THEN 2
           ELSE 1 END) * 7919 % ${regular})::int
       END AS user_idx,
       CASE WHEN c.type = 'direct' THEN 'member'
         WHEN k = 0 THEN 'owner' WHEN k = 1 THEN 'admin'
         ELSE 'member' END AS role
     FROM bench.conversations c
     JOIN seats s ON s.idx = c.idx
     CROSS JOIN LATERAL generate_series(0, c.size - 1) k`,
  'ALTER TABLE bench.members ADD PRIMARY KEY (conv_idx, ord)',
];

/** The component's tables, filled from the helpers. */
export const SEED_CHAT_TABLES = [
  `INSERT INTO chat_conversations (id, tenant_id, type, title, direct_key,
       last_seq, last_message_at, last_activity_at, created_by, created_at,
       updated_at)
     SELECT c.id, '', c.type,
       CASE WHEN c.type = 'group' THEN 'Group ' || c.idx END,
       CASE WHEN c.type = 'direct' THEN (
         SELECT '["' || string_agg(u.id, '","' ORDER BY u.id COLLATE "C")
           || '"]'
         FROM bench.members m JOIN bench.users u ON u.idx = m.user_idx
         WHERE m.conv_idx = c.idx) END,
       c.n_msgs,
       CASE WHEN c.n_msgs > 0 THEN c.created_at + c.n_msgs * c.spacing END,
       c.created_at + c.n_msgs * c.spacing,
       o.id, c.created_at, c.created_at
     FROM bench.conversations c
     JOIN bench.members om ON om.conv_idx = c.idx AND om.ord = 0
     JOIN bench.users o ON o.idx = om.user_idx`,
  // read positions: 35% read everything, 40% are a few messages behind,
  // 25% somewhere in the history
  `INSERT INTO chat_members (id, conversation_id, tenant_id, user_id, role,
       last_read_seq, joined_at, added_by)
     SELECT gen_random_uuid(), c.id, '', u.id, m.role,
       CASE WHEN h < 35 THEN c.n_msgs
         WHEN h < 75 THEN GREATEST(0, c.n_msgs - 1 - h % 10)
         ELSE floor(c.n_msgs * (h - 75) / 25.0)::bigint END,
       c.created_at, o.id
     FROM bench.members m
     JOIN bench.conversations c ON c.idx = m.conv_idx
     JOIN bench.users u ON u.idx = m.user_idx
     JOIN bench.members om ON om.conv_idx = c.idx AND om.ord = 0
     JOIN bench.users o ON o.idx = om.user_idx
     CROSS JOIN LATERAL (SELECT (m.conv_idx * 7919 + m.ord * 104729) % 100 AS h) r`,
  // in time order, so a conversation's messages are spread over the table
  // as they are in a real one
  `INSERT INTO chat_messages (id, conversation_id, seq, sender_id, body,
       created_at)
     SELECT gen_random_uuid(), c.id, s, u.id,
       left('Benchmark message ' || s || ': the quick brown fox jumps over '
         || 'the lazy dog, and then it does so again, and again, and again.',
         40 + ((s * 7 + c.idx) % 70)::int),
       c.created_at + s * c.spacing
     FROM bench.conversations c
     CROSS JOIN LATERAL generate_series(1::bigint, c.n_msgs) s
     JOIN bench.members m
       ON m.conv_idx = c.idx AND m.ord = (s * 7919 + c.idx) % c.size
     JOIN bench.users u ON u.idx = m.user_idx
     ORDER BY c.created_at + s * c.spacing`,
  // sending moves the sender's own read position
  `UPDATE chat_members m SET last_read_seq = x.max_seq
     FROM (SELECT conversation_id, sender_id, max(seq) AS max_seq
           FROM chat_messages GROUP BY 1, 2) x
     WHERE m.conversation_id = x.conversation_id
       AND m.user_id = x.sender_id AND m.last_read_seq < x.max_seq`,
  // the log keeps recent events only: one message.created per recent message
  `INSERT INTO chat_events (id, tenant_id, conversation_id, type, actor_id,
       payload, created_at)
     SELECT row_number() OVER (ORDER BY m.created_at, m.conversation_id, m.seq),
       '', m.conversation_id, 'message.created', m.sender_id,
       jsonb_build_object('message', jsonb_build_object(
         'id', m.id, 'conversationId', m.conversation_id, 'seq', m.seq,
         'senderId', m.sender_id, 'body', m.body, 'clientMessageId', NULL,
         'parentMessageId', NULL, 'attachments', '[]'::jsonb,
         'createdAt', to_char(m.created_at AT TIME ZONE 'UTC',
           'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'editedAt', NULL, 'deletedAt', NULL)),
       m.created_at
     FROM chat_messages m
     WHERE m.created_at > now() - interval '${eventDays} days'`,
];

/**
 * Statements for tables that exist only in some versions of the schema:
 * run when the table is there.
 */
export const SEED_OPTIONAL: {table: string; statements: string[]}[] = [
  {
    table: 'chat_event_clock',
    statements: [
      `INSERT INTO chat_event_clock (id, position)
       SELECT 1, COALESCE(max(id), 0) FROM chat_events
     ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position`,
    ],
  },
  {
    table: 'chat_member_periods',
    statements: [
      `INSERT INTO chat_member_periods
         (id, tenant_id, conversation_id, user_id, from_event_id)
       SELECT id, tenant_id, conversation_id, user_id, 0 FROM chat_members`,
    ],
  },
];

/** Keeps a serial event id (the schema before the event clock) in step. */
export const SYNC_EVENT_SEQUENCE = `SELECT setval(s, (SELECT max(id) FROM chat_events))
  FROM pg_get_serial_sequence('chat_events', 'id') s
  WHERE s IS NOT NULL AND EXISTS (SELECT 1 FROM chat_events)`;
