-- Conversations, members with read positions, messages and the event log:
-- the MySQL 8 / MariaDB 10.5+ twin of migrations/sqls/20261122000001-*.
-- Ids are UUIDs as CHAR(36) text, compared case-insensitively like
-- PostgreSQL's uuid type. Timestamps are DATETIME(3): UTC, millisecond
-- precision, written by the application; keyset cursors compare them exactly.

CREATE TABLE chat_conversations (
  id char(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  type varchar(16) NOT NULL,
  title varchar(255),
  external_id varchar(255),
  metadata json,
  -- JSON array of the two member ids of a direct conversation, sorted
  direct_key varchar(520),
  -- (tenant_id, direct_key) is too long for an index key: the unique index
  -- is on its SHA-256 instead
  direct_key_hash binary(32) AS (UNHEX(SHA2(direct_key, 256))) STORED,
  last_seq bigint NOT NULL DEFAULT 0,
  last_message_at datetime(3),
  last_activity_at datetime(3) NOT NULL,
  created_by varchar(255) NOT NULL,
  created_at datetime(3) NOT NULL,
  updated_by varchar(255),
  updated_at datetime(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY chat_conversations_direct_key_uq (tenant_id, direct_key_hash),
  UNIQUE KEY chat_conversations_external_id_uq (tenant_id, external_id),
  CONSTRAINT chat_conversations_type CHECK (type IN ('direct', 'group')),
  CONSTRAINT chat_conversations_direct_shape
    CHECK ((type = 'direct') = (direct_key IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE chat_members (
  id char(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  conversation_id char(36) CHARACTER SET ascii COLLATE ascii_general_ci
    NOT NULL,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  user_id varchar(255) NOT NULL,
  role varchar(16) NOT NULL,
  last_read_seq bigint NOT NULL DEFAULT 0,
  joined_at datetime(3) NOT NULL,
  added_by varchar(255),
  PRIMARY KEY (id),
  UNIQUE KEY chat_members_conversation_user_uq (conversation_id, user_id),
  -- the caller's conversations (lists, /unread)
  KEY chat_members_user_idx (tenant_id, user_id),
  CONSTRAINT chat_members_role CHECK (role IN ('owner', 'admin', 'member')),
  CONSTRAINT chat_members_conversation_fk FOREIGN KEY (conversation_id)
    REFERENCES chat_conversations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE chat_messages (
  id char(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  conversation_id char(36) CHARACTER SET ascii COLLATE ascii_general_ci
    NOT NULL,
  seq bigint NOT NULL,
  sender_id varchar(255) NOT NULL,
  body mediumtext,
  client_message_id varchar(255),
  parent_message_id char(36) CHARACTER SET ascii COLLATE ascii_general_ci,
  created_at datetime(3) NOT NULL,
  edited_at datetime(3),
  edited_by varchar(255),
  deleted_at datetime(3),
  deleted_by varchar(255),
  PRIMARY KEY (id),
  -- history pages and the last message of each conversation
  UNIQUE KEY chat_messages_conversation_seq_uq (conversation_id, seq),
  -- idempotent sends
  UNIQUE KEY chat_messages_client_id_uq
    (conversation_id, sender_id, client_message_id),
  KEY chat_messages_parent_idx (parent_message_id),
  CONSTRAINT chat_messages_conversation_fk FOREIGN KEY (conversation_id)
    REFERENCES chat_conversations (id) ON DELETE CASCADE,
  -- InnoDB checks each row of a cascading delete at once (PostgreSQL: at the
  -- end of the statement); SET NULL lets a conversation with replies go
  CONSTRAINT chat_messages_parent_fk FOREIGN KEY (parent_message_id)
    REFERENCES chat_messages (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE chat_events (
  id bigint NOT NULL AUTO_INCREMENT,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  conversation_id char(36) CHARACTER SET ascii COLLATE ascii_general_ci
    NOT NULL,
  type varchar(32) NOT NULL,
  actor_id varchar(255),
  payload json NOT NULL,
  created_at datetime(3) NOT NULL,
  PRIMARY KEY (id),
  KEY chat_events_conversation_idx (conversation_id, id),
  KEY chat_events_created_at_idx (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
