-- Presence keeps a row per user and instance only while the user has streams
-- open there. When a user was last seen moves here, one row per user; the row
-- is also the lock that orders changes to the user's counts across
-- instances. Rows of instances that stop refreshing are swept by updated_at.
CREATE TABLE chat_last_seen (
  tenant_id varchar(255) NOT NULL DEFAULT '',
  user_id varchar(255) NOT NULL,
  last_seen_at timestamptz(3) NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);

INSERT INTO chat_last_seen (tenant_id, user_id, last_seen_at)
  SELECT tenant_id, user_id, MAX(updated_at) FROM chat_presence
  GROUP BY tenant_id, user_id;

DELETE FROM chat_presence WHERE connections <= 0;

CREATE INDEX chat_presence_updated_idx ON chat_presence (updated_at);

-- an instance refreshes and reads its own rows by instance_id
CREATE INDEX chat_presence_instance_idx ON chat_presence (instance_id);
