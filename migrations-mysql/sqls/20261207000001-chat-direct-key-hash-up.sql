-- Nothing to do: the twin of migrations/sqls/20261207000001-*, which makes
-- PostgreSQL index the direct-conversation key by its hash, as this schema
-- always has (direct_key_hash).
SELECT 1;
