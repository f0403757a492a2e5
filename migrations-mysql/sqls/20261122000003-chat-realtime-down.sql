DROP TABLE IF EXISTS chat_presence;
DROP TABLE IF EXISTS chat_member_periods;
-- ids come from AUTO_INCREMENT again, continuing after the largest one
ALTER TABLE chat_events MODIFY id bigint NOT NULL AUTO_INCREMENT;
DROP TABLE IF EXISTS chat_event_clock;
