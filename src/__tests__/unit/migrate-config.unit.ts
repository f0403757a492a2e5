import {expect} from '@loopback/testlab';
import path from 'path';
import {MigrationConfigError, resolveTarget} from '../../migrate/connection';
import {installStep} from '../../migrate/install-step';

const PG_URL = 'postgres://chat:pw@db:5432/chat';
const MY_URL = 'mysql://chat:pw@db:3306/chat';

/** `resolveTarget(target, env)` throws this MigrationConfigError message. */
function expectConflict(
  target: Parameters<typeof resolveTarget>[0],
  env: NodeJS.ProcessEnv,
  message: string,
) {
  let thrown: unknown;
  try {
    resolveTarget(target, env);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).to.be.instanceOf(MigrationConfigError);
  expect((thrown as Error).message).to.equal(message);
}

describe('contradictory migration settings (unit)', () => {
  it('MYSQL_MIGRATION=true with a postgres:// DATABASE_URL', () => {
    expectConflict(
      {},
      {MYSQL_MIGRATION: 'true', DATABASE_URL: PG_URL},
      'MYSQL_MIGRATION=true selects MySQL/MariaDB but DATABASE_URL (a ' +
        'postgres:// URL) names a PostgreSQL database: make them agree or ' +
        'unset one.',
    );
  });

  it('MYSQL_MIGRATION=false with a mysql:// DATABASE_URL', () => {
    expectConflict(
      {},
      {MYSQL_MIGRATION: 'false', DATABASE_URL: MY_URL},
      'MYSQL_MIGRATION=false selects PostgreSQL but DATABASE_URL (a ' +
        'mysql:// URL) names a MySQL/MariaDB database: make them agree or ' +
        'unset one.',
    );
  });

  it('--mysql with a postgres:// URL, given or from DATABASE_URL', () => {
    const message = (name: string) =>
      `--mysql selects MySQL/MariaDB but ${name} (a postgres:// URL) names ` +
      `a PostgreSQL database: make them agree or unset one.`;
    expectConflict(
      {mysql: true, databaseUrl: PG_URL},
      {},
      message('--database-url'),
    );
    expectConflict(
      {mysql: true},
      {DATABASE_URL: PG_URL},
      message('DATABASE_URL'),
    );
  });

  it('the option mysql: false with a mysql:// URL', () => {
    expectConflict(
      {mysql: false, databaseUrl: MY_URL},
      {},
      'the option mysql: false selects PostgreSQL but --database-url (a ' +
        'mysql:// URL) names a MySQL/MariaDB database: make them agree or ' +
        'unset one.',
    );
  });

  it('a URL of another database kind, or no URL at all', () => {
    expectConflict(
      {},
      {DATABASE_URL: 'sqlite:///tmp/chat.db'},
      'DATABASE_URL must be a postgres://, postgresql://, mysql:// or ' +
        'mariadb:// URL; it starts with "sqlite:".',
    );
    expectConflict(
      {databaseUrl: 'db:5432/chat'},
      {},
      '--database-url must be a postgres://, postgresql://, mysql:// or ' +
        'mariadb:// URL; it starts with "db:".',
    );
    expectConflict(
      {},
      {DATABASE_URL: '/var/run/postgresql'},
      'DATABASE_URL must be a postgres://, postgresql://, mysql:// or ' +
        'mariadb:// URL; it starts with no scheme.',
    );
    expectConflict(
      {},
      {DATABASE_URL: 'postgres://a b@/x'},
      'DATABASE_URL is not a valid URL.',
    );
  });

  it('DATABASE_URL and DB_* variables naming different connections', () => {
    expectConflict(
      {},
      {DATABASE_URL: PG_URL, DB_HOST: 'other', DB_DATABASE: 'chat2'},
      'DATABASE_URL and DB_HOST, DB_DATABASE name different connections ' +
        '(host "db" in the URL, "other" in DB_HOST; database "chat" in the ' +
        'URL, "chat2" in DB_DATABASE): unset one or make them agree.',
    );
    expectConflict(
      {},
      {DATABASE_URL: MY_URL, DB_USER: 'root', DB_PASSWORD: 'secret'},
      'DATABASE_URL and DB_USER, DB_PASSWORD name different connections ' +
        '(user "chat" in the URL, "root" in DB_USER; the passwords differ): ' +
        'unset one or make them agree.',
    );
    // a URL without a port means the default one
    expectConflict(
      {},
      {DATABASE_URL: 'postgres://db/chat', DB_PORT: '5433'},
      'DATABASE_URL and DB_PORT name different connections (port "5432" ' +
        'in the URL, "5433" in DB_PORT): unset one or make them agree.',
    );
  });

  it('accepts DB_* variables that agree with DATABASE_URL', () => {
    const target = resolveTarget(
      {},
      {
        DATABASE_URL: 'postgres://chat:pw@db/chat',
        DB_HOST: 'DB',
        DB_PORT: '5432',
        DB_USER: 'chat',
        DB_PASSWORD: 'pw',
        DB_DATABASE: 'chat',
      },
    );
    expect(target.dialect).to.equal('postgres');
  });

  it('compares an IPv6 host without the URL brackets', () => {
    const target = resolveTarget(
      {},
      {DATABASE_URL: 'mysql://root@[::1]:3307/chat', DB_HOST: '::1'},
    );
    expect(target.settings).to.containDeep({host: '::1', port: 3307});
  });

  it('an explicit URL overrides DATABASE_URL and the DB_* variables', () => {
    const target = resolveTarget(
      {databaseUrl: MY_URL},
      {DATABASE_URL: 'mysql://other/x', DB_HOST: 'elsewhere'},
    );
    expect(target.description).to.equal('db:3306/chat');
  });

  it('DB_PORT that is not a port number', () => {
    for (const port of ['x', '0', '65536', '54.32']) {
      expectConflict(
        {},
        {DB_HOST: 'db', DB_PORT: port},
        `DB_PORT must be a port number, got "${port}".`,
      );
    }
  });

  it('DB_SCHEMA on MySQL, unless it names the database', () => {
    expectConflict(
      {},
      {DATABASE_URL: MY_URL, DB_SCHEMA: 'tenant'},
      'DB_SCHEMA="tenant" is for PostgreSQL; on MySQL/MariaDB the schema is ' +
        'the database ("chat"): unset DB_SCHEMA or name the database in ' +
        'DB_DATABASE or the URL.',
    );
    const target = resolveTarget({}, {DATABASE_URL: MY_URL, DB_SCHEMA: 'chat'});
    expect(target.dialect).to.equal('mysql');
  });
});

describe('postinstall step (unit)', () => {
  it('copies, migrates or does nothing', () => {
    expect(installStep({})).to.eql({kind: 'none'});
    expect(installStep({CHAT_MIGRATION: 'true'})).to.eql({kind: 'migrate'});
    expect(installStep({SOURCELOOP_MIGRATION: '1'})).to.eql({
      kind: 'migrate',
    });
    expect(
      installStep({CHAT_MIGRATION_COPY: '1', INIT_CWD: '/srv/host'}),
    ).to.eql({
      kind: 'copy',
      dialect: 'postgres',
      target: path.join('/srv/host', 'migrations', 'chat-service'),
    });
    expect(
      installStep({CHAT_MIGRATION_COPY: '1', MYSQL_MIGRATION: 'true'}),
    ).to.containDeep({kind: 'copy', dialect: 'mysql'});
  });

  it('an explicit CHAT_MIGRATION=false wins over SOURCELOOP_MIGRATION', () => {
    expect(
      installStep({CHAT_MIGRATION: 'false', SOURCELOOP_MIGRATION: 'true'}),
    ).to.eql({
      kind: 'none',
      note: 'CHAT_MIGRATION=false overrides SOURCELOOP_MIGRATION: not migrating.',
    });
  });

  it('refuses copying and migrating together', () => {
    expect(() =>
      installStep({CHAT_MIGRATION_COPY: '1', SOURCELOOP_MIGRATION: 'true'}),
    ).to.throw(
      'CHAT_MIGRATION_COPY and SOURCELOOP_MIGRATION are both set: the first ' +
        'copies the migration files into your project, the second runs them; ' +
        'set one.',
    );
  });

  it('refuses a down direction: the install step never reverts', () => {
    for (const name of ['CHAT_MIGRATION', 'SOURCELOOP_MIGRATION']) {
      expect(() => installStep({[name]: 'down'})).to.throw(
        `${name}=down: the install step only applies migrations; revert ` +
          'with `npx chat-service-migrate down` (one migration; a count or ' +
          '--all for more).',
      );
    }
  });

  it('refuses a copy whose database kind the variables disagree on', () => {
    expect(() =>
      installStep({
        CHAT_MIGRATION_COPY: '1',
        MYSQL_MIGRATION: 'true',
        DATABASE_URL: PG_URL,
      }),
    ).to.throw(/^MYSQL_MIGRATION=true selects MySQL\/MariaDB but DATABASE_URL/);
  });
});
