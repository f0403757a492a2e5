'use strict';

const fs = require('fs');
const path = require('path');

function runSqlFile(db, name) {
  const sql = fs.readFileSync(path.join(__dirname, 'sqls', name), 'utf8');
  return db.runSql(sql);
}

exports.up = db => runSqlFile(db, '20261207190500-chat-last-seen-up.sql');
exports.down = db => runSqlFile(db, '20261207190500-chat-last-seen-down.sql');
exports._meta = {version: 1};
