-- Events wait here, committed with the change that caused them, until the
-- sequencer moves them into chat_events under the event clock: positions
-- then follow commit order without writers holding the clock until they
-- commit.
CREATE TABLE chat_event_queue (
  queue_id bigint NOT NULL AUTO_INCREMENT,
  tenant_id varchar(255) NOT NULL DEFAULT '',
  conversation_id char(36) CHARACTER SET ascii COLLATE ascii_general_ci
    NOT NULL,
  type varchar(32) NOT NULL,
  actor_id varchar(255),
  payload json NOT NULL,
  created_at datetime(3) NOT NULL,
  PRIMARY KEY (queue_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
