'use strict';

const fs = require('fs');
const path = require('path');

// Text compares exactly, as in PostgreSQL. The SQL files say utf8mb4_bin,
// which ignores trailing spaces; a server with a binary collation that does
// not (MariaDB: utf8mb4_nopad_bin, MySQL 8: utf8mb4_0900_bin) gets that one.
async function exactCollation(db) {
  const rows = await db.runSql(
    `SELECT collation_name AS name FROM information_schema.collations
     WHERE collation_name IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')`,
  );
  return rows.length > 0 ? rows[0].name : 'utf8mb4_bin';
}

async function runSqlFile(db, name) {
  const sql = fs.readFileSync(path.join(__dirname, 'sqls', name), 'utf8');
  const collation = await exactCollation(db);
  return db.runSql(sql.replace(/\butf8mb4_bin\b/g, collation));
}

exports.up = db => runSqlFile(db, '20261207000001-chat-direct-key-hash-up.sql');
exports.down = db =>
  runSqlFile(db, '20261207000001-chat-direct-key-hash-down.sql');
exports._meta = {version: 1};
