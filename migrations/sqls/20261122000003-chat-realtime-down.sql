DROP TABLE IF EXISTS chat_presence;
DROP TABLE IF EXISTS chat_member_periods;
ALTER TABLE chat_events
  ALTER COLUMN id SET DEFAULT nextval('chat_events_id_seq');
SELECT setval('chat_events_id_seq', GREATEST(COALESCE(MAX(id), 0), 1))
  FROM chat_events;
DROP TABLE IF EXISTS chat_event_clock;
