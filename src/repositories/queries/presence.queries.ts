import {oneOf, Row, SqlRunner} from '../chat-db';

/** Records how many streams a user has open on one instance. */
export async function setConnections(
  q: SqlRunner,
  tenantId: string,
  userId: string,
  instanceId: string,
  connections: number,
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO chat_presence
       (tenant_id, user_id, instance_id, connections, updated_at)
     VALUES ($1, $2, $3, $4, $5)
     ${
       q.dialect === 'mysql'
         ? 'ON DUPLICATE KEY UPDATE connections = $4, updated_at = $5'
         : `ON CONFLICT (tenant_id, user_id, instance_id)
       DO UPDATE SET connections = EXCLUDED.connections,
         updated_at = EXCLUDED.updated_at`
     }`,
    [tenantId, userId, instanceId, connections, at],
  );
}

/** Marks an instance's rows as alive (or, with 0, its users as gone). */
export async function touchInstance(
  q: SqlRunner,
  instanceId: string,
  at: Date,
  disconnectAll = false,
): Promise<void> {
  await q.query(
    `UPDATE chat_presence SET updated_at = $2
       ${disconnectAll ? ', connections = 0' : ''}
     WHERE instance_id = $1 AND connections > 0`,
    [instanceId, at],
  );
}

/**
 * Presence of users: open streams on live instances (rows refreshed since
 * `freshSince`) and the last time each was seen.
 */
export async function listPresence(
  q: SqlRunner,
  tenantId: string,
  userIds: string[],
  freshSince: Date,
): Promise<Row[]> {
  if (userIds.length === 0) return [];
  const listed = oneOf(q, 'user_id', userIds, 3);
  return q.query(
    `SELECT user_id,
       SUM(CASE WHEN connections > 0 AND updated_at >= $2
           THEN connections ELSE 0 END) AS connections,
       MAX(updated_at) AS last_seen_at
     FROM chat_presence
     WHERE tenant_id = $1 AND ${listed.sql}
     GROUP BY user_id`,
    [tenantId, freshSince, ...listed.params],
  );
}
