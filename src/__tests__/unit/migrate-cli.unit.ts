import {expect} from '@loopback/testlab';
import {parseMigrateArgs} from '../../migrate/cli-args';
import {isEnabled, resolveTarget} from '../../migrate/connection';

describe('chat-service-migrate arguments (unit)', () => {
  it('parses up and down', () => {
    expect(parseMigrateArgs(['up'])).to.eql({direction: 'up'});
    expect(parseMigrateArgs(['down'])).to.eql({direction: 'down'});
  });

  it('parses --count, -c and --count=N', () => {
    expect(parseMigrateArgs(['down', '--count', '2'])).to.eql({
      direction: 'down',
      count: 2,
    });
    expect(parseMigrateArgs(['-c', '3', 'up'])).to.eql({
      direction: 'up',
      count: 3,
    });
    expect(parseMigrateArgs(['up', '--count=1'])).to.eql({
      direction: 'up',
      count: 1,
    });
  });

  it('parses a count after the command and --all', () => {
    expect(parseMigrateArgs(['down', '3'])).to.eql({
      direction: 'down',
      count: 3,
    });
    expect(parseMigrateArgs(['down', '--all'])).to.eql({
      direction: 'down',
      all: true,
    });
  });

  it('rejects a bad count after the command, two counts, a count with --all', () => {
    for (const bad of ['0', '-1', '1.5', 'x', 'all']) {
      expect(() => parseMigrateArgs(['down', bad])).to.throw(
        `The count (down <n> or --count <n>) must be a positive integer, got "${bad}".`,
      );
    }
    expect(() => parseMigrateArgs(['down', '2', '--count', '2'])).to.throw(
      'The count is given twice.',
    );
    expect(() => parseMigrateArgs(['down', '2', '--all'])).to.throw(
      'Give a count or --all, not both.',
    );
    expect(() => parseMigrateArgs(['down', '--all=yes'])).to.throw(
      '--all takes no value.',
    );
    expect(() => parseMigrateArgs(['3', 'down'])).to.throw(
      /Unknown command "3"/,
    );
  });

  it('parses --mysql and --database-url', () => {
    expect(
      parseMigrateArgs(['up', '--mysql', '--database-url', 'mysql://h/db']),
    ).to.eql({direction: 'up', mysql: true, databaseUrl: 'mysql://h/db'});
  });

  it('answers help for -h and --help', () => {
    expect(parseMigrateArgs(['--help'])).to.eql({help: true});
    expect(parseMigrateArgs(['up', '-h'])).to.eql({help: true});
  });

  it('rejects a missing, unknown or repeated command', () => {
    expect(() => parseMigrateArgs([])).to.throw(/Missing command/);
    expect(() => parseMigrateArgs(['sideways'])).to.throw(
      /Unknown command "sideways"/,
    );
    expect(() => parseMigrateArgs(['up', 'down'])).to.throw(/one command/);
  });

  it('rejects unknown options and bad counts', () => {
    expect(() => parseMigrateArgs(['up', '--dry-run'])).to.throw(
      /Unknown option "--dry-run"/,
    );
    for (const bad of ['0', '-1', '1.5', 'x', '']) {
      expect(() => parseMigrateArgs(['up', '--count', bad])).to.throw(
        /--count/,
      );
    }
    expect(() => parseMigrateArgs(['up', '--count'])).to.throw(/needs a value/);
    expect(() => parseMigrateArgs(['up', '--mysql=yes'])).to.throw(
      /takes no value/,
    );
  });
});

describe('migration target (unit)', () => {
  it('prefers an explicit URL over the environment', () => {
    const target = resolveTarget(
      {databaseUrl: 'postgres://u:p@db:5433/chat'},
      {DATABASE_URL: 'postgres://other/x', DB_SCHEMA: 'tenant'},
    );
    expect(target).to.eql({
      dialect: 'postgres',
      settings: {
        driver: 'pg',
        connectionString: 'postgres://u:p@db:5433/chat',
        schema: 'tenant',
      },
      description: 'db:5433/chat',
    });
  });

  it('reads DB_* variables without a URL', () => {
    const target = resolveTarget(
      {},
      {
        DB_HOST: 'db',
        DB_PORT: '6543',
        DB_USER: 'chat',
        DB_PASSWORD: 's3cret',
        DB_DATABASE: 'chatdb',
      },
    );
    expect(target.settings).to.eql({
      driver: 'pg',
      host: 'db',
      port: 6543,
      user: 'chat',
      password: 's3cret',
      database: 'chatdb',
    });
  });

  it('selects mysql by flag, MYSQL_MIGRATION or URL scheme', () => {
    const url = 'mysql://root:p%40ss@127.0.0.1:3307/chat';
    const expected = {
      driver: 'mysql',
      host: '127.0.0.1',
      port: 3307,
      user: 'root',
      password: 'p@ss',
      database: 'chat',
      multipleStatements: true,
    };
    expect(resolveTarget({databaseUrl: url}, {}).settings).to.eql(expected);
    expect(
      resolveTarget({}, {DATABASE_URL: url, MYSQL_MIGRATION: 'true'}).dialect,
    ).to.equal('mysql');
    expect(resolveTarget({mysql: true}, {}).dialect).to.equal('mysql');
    expect(
      resolveTarget({mysql: false}, {MYSQL_MIGRATION: 'true'}).dialect,
    ).to.equal('postgres');
  });

  it('treats 0, false, no and off as disabled', () => {
    for (const on of ['1', 'true', 'YES', 'anything']) {
      expect(isEnabled(on)).to.be.true();
    }
    for (const off of [undefined, '', ' ', '0', 'false', 'No', 'off']) {
      expect(isEnabled(off)).to.be.false();
    }
  });
});
