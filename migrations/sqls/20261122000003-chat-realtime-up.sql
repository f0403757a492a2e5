-- Event ids come from a one-row clock taken under a row lock as the last
-- step of each writing transaction: ids are gapless and follow commit order,
-- so a reader that has seen id N has seen every event below N.
CREATE TABLE chat_event_clock (
  id smallint PRIMARY KEY CHECK (id = 1),
  position bigint NOT NULL
);
INSERT INTO chat_event_clock (id, position)
  SELECT 1, COALESCE(MAX(id), 0) FROM chat_events;
ALTER TABLE chat_events ALTER COLUMN id DROP DEFAULT;

-- Who was a member when: events go to the members at the time of the event.
-- A period runs from the member.added event to the member.removed event
-- (both included); an open period has no end.
CREATE TABLE chat_member_periods (
  id uuid PRIMARY KEY,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  conversation_id uuid NOT NULL,
  user_id varchar(255) NOT NULL,
  from_event_id bigint NOT NULL,
  to_event_id bigint
);
CREATE INDEX chat_member_periods_user_idx
  ON chat_member_periods (tenant_id, user_id, conversation_id);
CREATE INDEX chat_member_periods_conversation_idx
  ON chat_member_periods (conversation_id, from_event_id);

INSERT INTO chat_member_periods
    (id, tenant_id, conversation_id, user_id, from_event_id)
  SELECT id, tenant_id, conversation_id, user_id, 0 FROM chat_members;

-- Online state: stream counts per user and application instance. An instance
-- refreshes its rows while it runs; rows of a vanished instance go stale.
CREATE TABLE chat_presence (
  tenant_id varchar(255) NOT NULL DEFAULT '',
  user_id varchar(255) NOT NULL,
  instance_id uuid NOT NULL,
  connections integer NOT NULL,
  updated_at timestamptz(3) NOT NULL,
  PRIMARY KEY (tenant_id, user_id, instance_id)
);
