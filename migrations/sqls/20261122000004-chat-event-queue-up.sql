-- Events wait here, committed with the change that caused them, until the
-- sequencer moves them into chat_events under the event clock: positions
-- then follow commit order without writers holding the clock until they
-- commit.
CREATE TABLE chat_event_queue (
  queue_id bigserial PRIMARY KEY,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  conversation_id uuid NOT NULL,
  type varchar(32) NOT NULL,
  actor_id varchar(255),
  payload jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL
);
