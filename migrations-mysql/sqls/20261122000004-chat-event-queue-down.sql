-- Events still waiting are given their positions first, so none is lost.
INSERT INTO chat_events
  (id, tenant_id, conversation_id, type, actor_id, payload, created_at)
SELECT c.position + ROW_NUMBER() OVER (ORDER BY q.queue_id),
  q.tenant_id, q.conversation_id, q.type, q.actor_id, q.payload, q.created_at
FROM chat_event_queue q CROSS JOIN chat_event_clock c;
UPDATE chat_event_clock
  SET position = (SELECT COALESCE(MAX(id), 0) FROM chat_events);
DROP TABLE chat_event_queue;
