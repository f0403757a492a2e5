-- The unique index of direct conversations held the pair key itself: a
-- tenant id and two user ids of 255 characters outside ASCII (about 3 KB in
-- UTF-8) exceed PostgreSQL's B-tree row limit (2704 bytes), and creating
-- that conversation failed. Index the key's MD5 instead, as the MySQL
-- schema indexes its SHA-256; the name stays.
CREATE UNIQUE INDEX chat_conversations_direct_key_md5_uq
  ON chat_conversations (tenant_id, md5(direct_key));
DROP INDEX chat_conversations_direct_key_uq;
ALTER INDEX chat_conversations_direct_key_md5_uq
  RENAME TO chat_conversations_direct_key_uq;
