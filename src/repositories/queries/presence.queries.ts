import {oneOf, Row, SqlRunner} from '../chat-db';

/** The columns of a `chat_presence` row, in `PresenceRow` order. */
const PRESENCE_COLUMNS =
  'tenant_id, user_id, instance_id, connections, updated_at';

/** One instance's count of a user's open streams. */
export interface PresenceRow {
  tenantId: string;
  userId: string;
  instanceId: string;
  connections: number;
  updatedAt: Date;
}

/**
 * Locks the user's `chat_last_seen` row (creating it), moving the last-seen
 * time forward to `at`: every change to the user's counts takes this lock
 * first, so changes from all instances apply one at a time.
 */
export async function lockUser(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO chat_last_seen (tenant_id, user_id, last_seen_at)
     VALUES ($1, $2, $3)
     ${
       q.dialect === 'mysql'
         ? `ON DUPLICATE KEY UPDATE
       last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))`
         : `ON CONFLICT (tenant_id, user_id) DO UPDATE
       SET last_seen_at = GREATEST(chat_last_seen.last_seen_at,
         EXCLUDED.last_seen_at)`
     }`,
    [tenantId, userId, at],
  );
}

/** The user's stream counts, one row per instance. */
export async function listUserCounts(
  q: SqlRunner,
  tenantId: string,
  userId: string,
): Promise<PresenceRow[]> {
  const rows = await q.query(
    `SELECT ${PRESENCE_COLUMNS}
     FROM chat_presence WHERE tenant_id = $1 AND user_id = $2`,
    [tenantId, userId],
  );
  return rows.map(toPresenceRow);
}

/**
 * Records how many streams a user has open on one instance; with 0 the row
 * goes: rows exist only for users with streams open.
 */
export async function setConnections(
  q: SqlRunner,
  row: PresenceRow,
): Promise<void> {
  const key = [row.tenantId, row.userId, row.instanceId];
  if (row.connections <= 0) {
    await q.query(
      `DELETE FROM chat_presence
       WHERE tenant_id = $1 AND user_id = $2 AND instance_id = $3`,
      key,
    );
    return;
  }
  await q.query(
    `INSERT INTO chat_presence
       (${PRESENCE_COLUMNS})
     VALUES ($1, $2, $3, $4, $5)
     ${
       q.dialect === 'mysql'
         ? 'ON DUPLICATE KEY UPDATE connections = $4, updated_at = $5'
         : `ON CONFLICT (tenant_id, user_id, instance_id)
       DO UPDATE SET connections = EXCLUDED.connections,
         updated_at = EXCLUDED.updated_at`
     }`,
    [...key, row.connections, row.updatedAt],
  );
}

/** Marks an instance's rows as alive. */
export async function touchInstance(
  q: SqlRunner,
  instanceId: string,
  at: Date,
): Promise<void> {
  await q.query(
    'UPDATE chat_presence SET updated_at = $2 WHERE instance_id = $1',
    [instanceId, at],
  );
}

/** The rows of one instance. */
export async function listInstanceRows(
  q: SqlRunner,
  instanceId: string,
): Promise<PresenceRow[]> {
  const rows = await q.query(
    `SELECT ${PRESENCE_COLUMNS}
     FROM chat_presence WHERE instance_id = $1`,
    [instanceId],
  );
  return rows.map(toPresenceRow);
}

/** Rows not refreshed since `before`: their instance is gone (by index). */
export async function listStale(
  q: SqlRunner,
  before: Date,
  limit: number,
): Promise<PresenceRow[]> {
  const rows = await q.query(
    `SELECT ${PRESENCE_COLUMNS}
     FROM chat_presence WHERE updated_at < $1
     ORDER BY updated_at LIMIT ${Math.trunc(limit)}`,
    [before],
  );
  return rows.map(toPresenceRow);
}

/** Deletes one row if it is still not refreshed since `before`. */
export async function deleteStale(
  q: SqlRunner,
  row: PresenceRow,
  before: Date,
): Promise<void> {
  await q.query(
    `DELETE FROM chat_presence WHERE tenant_id = $1 AND user_id = $2
       AND instance_id = $3 AND updated_at < $4`,
    [row.tenantId, row.userId, row.instanceId, before],
  );
}

/**
 * Presence of users: open streams on live instances (rows refreshed since
 * `freshSince`), when each was last seen, and the newest refresh of their
 * rows (a row of an instance that died tells when it was last alive).
 */
export async function listPresence(
  q: SqlRunner,
  tenantId: string,
  userIds: string[],
  freshSince: Date,
): Promise<Row[]> {
  if (userIds.length === 0) return [];
  const listed = oneOf(q, 's.user_id', userIds, 3);
  return q.query(
    `SELECT s.user_id, s.last_seen_at,
       SUM(CASE WHEN p.updated_at >= $2 THEN p.connections ELSE 0 END)
         AS connections,
       MAX(p.updated_at) AS refreshed_at
     FROM chat_last_seen s
     LEFT JOIN chat_presence p
       ON p.tenant_id = s.tenant_id AND p.user_id = s.user_id
     WHERE s.tenant_id = $1 AND ${listed.sql}
     GROUP BY s.user_id, s.last_seen_at`,
    [tenantId, freshSince, ...listed.params],
  );
}

function toPresenceRow(row: Row): PresenceRow {
  return {
    tenantId: row.tenant_id as string,
    userId: row.user_id as string,
    instanceId: row.instance_id as string,
    connections: Number(row.connections),
    updatedAt: new Date(row.updated_at as string),
  };
}
