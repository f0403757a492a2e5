-- Conversations, members with read positions, messages and the event log.
-- Timestamps are millisecond precision: the application writes them, and
-- keyset cursors compare them exactly.

CREATE TABLE chat_conversations (
  id uuid PRIMARY KEY,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  type varchar(16) NOT NULL CHECK (type IN ('direct', 'group')),
  title varchar(255),
  external_id varchar(255),
  metadata jsonb,
  -- JSON array of the two member ids of a direct conversation, sorted
  direct_key varchar(520),
  last_seq bigint NOT NULL DEFAULT 0,
  last_message_at timestamptz(3),
  last_activity_at timestamptz(3) NOT NULL,
  created_by varchar(255) NOT NULL,
  created_at timestamptz(3) NOT NULL,
  updated_by varchar(255),
  updated_at timestamptz(3) NOT NULL,
  CONSTRAINT chat_conversations_direct_shape
    CHECK ((type = 'direct') = (direct_key IS NOT NULL))
);

CREATE UNIQUE INDEX chat_conversations_direct_key_uq
  ON chat_conversations (tenant_id, direct_key);
CREATE UNIQUE INDEX chat_conversations_external_id_uq
  ON chat_conversations (tenant_id, external_id);

CREATE TABLE chat_members (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL
    REFERENCES chat_conversations (id) ON DELETE CASCADE,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  user_id varchar(255) NOT NULL,
  role varchar(16) NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  last_read_seq bigint NOT NULL DEFAULT 0,
  joined_at timestamptz(3) NOT NULL,
  added_by varchar(255)
);

CREATE UNIQUE INDEX chat_members_conversation_user_uq
  ON chat_members (conversation_id, user_id);
-- the caller's conversations (lists, /unread)
CREATE INDEX chat_members_user_idx ON chat_members (tenant_id, user_id);

CREATE TABLE chat_messages (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL
    REFERENCES chat_conversations (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  sender_id varchar(255) NOT NULL,
  body text,
  client_message_id varchar(255),
  parent_message_id uuid REFERENCES chat_messages (id),
  created_at timestamptz(3) NOT NULL,
  edited_at timestamptz(3),
  edited_by varchar(255),
  deleted_at timestamptz(3),
  deleted_by varchar(255)
);

-- history pages and the last message of each conversation
CREATE UNIQUE INDEX chat_messages_conversation_seq_uq
  ON chat_messages (conversation_id, seq);
-- idempotent sends
CREATE UNIQUE INDEX chat_messages_client_id_uq
  ON chat_messages (conversation_id, sender_id, client_message_id);
CREATE INDEX chat_messages_parent_idx ON chat_messages (parent_message_id);

CREATE TABLE chat_events (
  id bigserial PRIMARY KEY,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  conversation_id uuid NOT NULL,
  type varchar(32) NOT NULL,
  actor_id varchar(255),
  payload jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL
);

CREATE INDEX chat_events_conversation_idx ON chat_events (conversation_id, id);
CREATE INDEX chat_events_created_at_idx ON chat_events (created_at);
