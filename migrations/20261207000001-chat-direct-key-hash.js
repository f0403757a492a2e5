'use strict';

const fs = require('fs');
const path = require('path');

function runSqlFile(db, name) {
  const sql = fs.readFileSync(path.join(__dirname, 'sqls', name), 'utf8');
  return db.runSql(sql);
}

exports.up = db => runSqlFile(db, '20261207000001-chat-direct-key-hash-up.sql');
exports.down = db =>
  runSqlFile(db, '20261207000001-chat-direct-key-hash-down.sql');
exports._meta = {version: 1};
