-- Back to indexing the key itself (fails while a key too long for a B-tree
-- row exists).
CREATE UNIQUE INDEX chat_conversations_direct_key_plain_uq
  ON chat_conversations (tenant_id, direct_key);
DROP INDEX chat_conversations_direct_key_uq;
ALTER INDEX chat_conversations_direct_key_plain_uq
  RENAME TO chat_conversations_direct_key_uq;
