-- Last-seen times go back into chat_presence as rows without streams (of the
-- nil instance), where the previous version reads them.
DROP INDEX chat_presence_instance_idx ON chat_presence;
DROP INDEX chat_presence_updated_idx ON chat_presence;

INSERT INTO chat_presence
    (tenant_id, user_id, instance_id, connections, updated_at)
  SELECT tenant_id, user_id, '00000000-0000-0000-0000-000000000000', 0,
    last_seen_at
  FROM chat_last_seen;

DROP TABLE IF EXISTS chat_last_seen;
