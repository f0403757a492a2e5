import {juggler} from '@loopback/repository';
import {expect} from '@loopback/testlab';
import {once} from 'events';
import {Pool, PoolClient} from 'pg';
import {
  ChatDb,
  JugglerChatDbProvider,
  PgPoolChatDb,
  resolveChatServiceConfig,
  SqlRunner,
} from '../..';
import {createChatDataSource} from '../../datasource';
import {
  eventually,
  givenGroup,
  givenUsers,
  givenTestDataSource,
  closeTestDataSource,
  TcpProxy,
  testDatabaseUrl,
  testDbQuery,
  givenChatSuite,
  describeOn,
} from '../fixtures';

/** The statements prepared on the connection `q` runs on. */
async function preparedOn(q: SqlRunner) {
  return q.query<{name: string; statement: string}>(
    'SELECT name, statement FROM pg_prepared_statements ORDER BY name',
  );
}

describeOn('postgres', 'prepared statements', () => {
  describe('PgPoolChatDb', () => {
    let pool: Pool;

    beforeEach(() => {
      // one connection, so every statement runs on the one inspected
      pool = new Pool({connectionString: testDatabaseUrl(), max: 1});
    });
    afterEach(() => pool.end());

    it('prepares a statement once per connection, named after its text', async () => {
      const db = new PgPoolChatDb(pool);
      const text = 'SELECT $1::int + 1 AS next';
      expect(await db.query(text, [1])).to.eql([{next: 2}]);
      expect(await db.query(text, [41])).to.eql([{next: 42}]);
      const prepared = await preparedOn(new PgPoolChatDb(pool));
      const ours = prepared.filter(p => p.statement === text);
      expect(ours).to.have.length(1);
      expect(ours[0].name).to.match(/^chat_[\w-]{27}$/);
    });

    it('prepares inside transactions too', async () => {
      const db = new PgPoolChatDb(pool);
      const text = 'SELECT $1::text AS said';
      await db.transaction(tx => tx.query(text, ['hello']));
      const prepared = await preparedOn(db);
      expect(prepared.map(p => p.statement)).to.containEql(text);
    });

    it('prepares nothing when preparedStatements is false', async () => {
      const db = new PgPoolChatDb(pool, {preparedStatements: false});
      await db.query('SELECT $1::int AS one', [1]);
      await db.transaction(tx => tx.query('SELECT $1::int AS two', [2]));
      expect(await preparedOn(db)).to.eql([]);
    });

    it('runs statements of more than 16 parameters unnamed', async () => {
      const db = new PgPoolChatDb(pool);
      const params = Array.from({length: 17}, (_, i) => i);
      const text = `SELECT ${params.map(i => `$${i + 1}::int`).join(' + ')} AS sum`;
      expect(await db.query(text, params)).to.eql([{sum: 136}]);
      const plain = new PgPoolChatDb(pool, {preparedStatements: false});
      expect(await preparedOn(plain)).to.eql([]);
    });

    it('runs statements without parameters unnamed (several commands may share one)', async () => {
      const db = new PgPoolChatDb(pool);
      await db.query('SELECT 1 AS one; SELECT 2 AS two');
      expect(await preparedOn(db)).to.eql([]);
    });

    it('drops a connection whose prepared statement no longer fits the schema', async () => {
      const db = new PgPoolChatDb(pool);
      const text = 'SELECT * FROM prepared_probe WHERE a = $1';
      const read = () => db.transaction(tx => tx.query(text, [1]));
      await testDbQuery('CREATE TABLE prepared_probe (a int)');
      try {
        await testDbQuery('INSERT INTO prepared_probe VALUES (1)');
        expect(await read()).to.eql([{a: 1}]);
        await testDbQuery('ALTER TABLE prepared_probe ADD COLUMN b int');
        // the statement prepared before no longer fits; its connection goes
        await expect(read()).to.be.rejectedWith(/cached plan/);
        expect(await read()).to.eql([{a: 1, b: null}]);
      } finally {
        await testDbQuery('DROP TABLE prepared_probe');
      }
    });

    it('prepares the first 200 texts only, and runs the others unnamed', async () => {
      const db = new PgPoolChatDb(pool);
      for (let i = 0; i < 205; i++) {
        const [row] = await db.query(`SELECT $1::int AS v${i}`, [i]);
        expect(row).to.eql({[`v${i}`]: i});
      }
      const plain = new PgPoolChatDb(pool, {preparedStatements: false});
      expect(await preparedOn(plain)).to.have.length(200);
    });
  });

  describe("PgPoolChatDb on the juggler connector's pool", () => {
    let dataSource: juggler.DataSource;
    let pool: Pool;

    beforeEach(async () => {
      // one connection, so a second transaction waits for the first's
      dataSource = createChatDataSource({
        name: 'onePool',
        orm: 'juggler',
        url: testDatabaseUrl(),
        poolSize: 1,
      }) as juggler.DataSource;
      if (!dataSource.connected) await once(dataSource, 'connected');
      pool = (dataSource.connector as unknown as {pg: Pool}).pg;
    });
    afterEach(() => closeTestDataSource(dataSource));

    it('listens for errors of a connection from the moment a transaction gets it', async () => {
      // The connector's pool resolves with bluebird, a turn of the event
      // loop later; an error the connection emits meanwhile (the server
      // shutting down) found no listener and ended the process.
      const db = new PgPoolChatDb(pool);
      let acquired = 0;
      let unhandled: unknown;
      pool.on('acquire', (client: PoolClient) => {
        if (++acquired !== 2) return;
        // the second transaction's connection, just handed out
        process.nextTick(() => {
          try {
            client.emit('error', new Error('terminating connection'));
          } catch (err) {
            unhandled = err;
          }
        });
      });
      let started!: () => void;
      let finish!: () => void;
      const inFirst = new Promise<void>(resolve => (started = resolve));
      const gate = new Promise<void>(resolve => (finish = resolve));
      const first = db.transaction(async () => {
        started();
        await gate;
      });
      await inFirst;
      const second = db.transaction(tx => tx.query('SELECT 1 AS one'));
      finish();
      await first;
      expect(await second).to.eql([{one: 1}]);
      expect(unhandled).to.be.undefined();
      expect(acquired).to.equal(2);
    });
  });

  describe("PgPoolChatDb on a host's pool without an error listener", () => {
    let proxy: TcpProxy;
    let dataSource: juggler.DataSource;

    beforeEach(async () => {
      proxy = await TcpProxy.for(testDatabaseUrl());
      // as a host that passes no `onError` to its datasource
      dataSource = createChatDataSource({
        name: 'unguarded',
        orm: 'juggler',
        url: proxy.urlThrough(testDatabaseUrl()),
      }) as juggler.DataSource;
      if (!dataSource.connected) await once(dataSource, 'connected');
    });
    afterEach(async () => {
      await proxy.close();
      await closeTestDataSource(dataSource);
    });

    it('survives the server resetting an idle pooled connection', async () => {
      const pool = (dataSource.connector as unknown as {pg: Pool}).pg;
      const db = new PgPoolChatDb(pool);
      expect(await db.query('SELECT 1 AS one')).to.eql([{one: 1}]);
      expect(pool.idleCount).to.be.above(0);
      // without a listener the pool's 'error' event ends the process
      proxy.cut();
      await eventually(
        () => pool.idleCount === 0,
        'the reset connection dropped',
      );
      proxy.restore();
      expect(await db.query('SELECT 2 AS two')).to.eql([{two: 2}]);
    });
  });

  describe('the juggler ChatDb', () => {
    let dataSource: juggler.DataSource;

    beforeEach(() => {
      dataSource = givenTestDataSource('juggler') as juggler.DataSource;
    });
    afterEach(() => closeTestDataSource(dataSource));

    /** The juggler ChatDb of a host with `database` configured. */
    function chatDbOf(database: {preparedStatements?: boolean}) {
      const config = resolveChatServiceConfig({database});
      return new JugglerChatDbProvider(dataSource, config).value();
    }

    it('prepares by default and not when the host turns it off', async () => {
      const text = 'SELECT $1::int * 2 AS twice';
      // the statement and the look-up in one transaction: one connection
      const statementsAfter = (db: ChatDb) =>
        db.transaction(async tx => {
          await tx.query(text, [21]);
          return (await preparedOn(tx)).map(p => p.statement);
        });
      expect(await statementsAfter(chatDbOf({}))).to.containEql(text);
      await closeTestDataSource(dataSource);
      dataSource = givenTestDataSource('juggler') as juggler.DataSource;
      expect(
        await statementsAfter(chatDbOf({preparedStatements: false})),
      ).to.not.containEql(text);
    });
  });

  describe('a migration that adds a column', () => {
    // the juggler ChatDb is the one that prepares
    const testApp = givenChatSuite({orm: 'juggler'});

    it('leaves the prepared conversation views working', async () => {
      const [alice, bob] = await givenUsers(2);
      const group = await givenGroup(testApp.client, alice, [bob]);
      const list = () =>
        testApp.client.get('/conversations').set('Authorization', alice.auth);
      const one = () =>
        testApp.client
          .get(`/conversations/${group.id}`)
          .set('Authorization', alice.auth);
      // sequential requests reuse the most recently released connection
      for (let i = 0; i < 3; i++) {
        expect((await list()).status).to.equal(200);
        expect((await one()).status).to.equal(200);
      }
      await testDbQuery('ALTER TABLE chat_conversations ADD COLUMN extra int');
      try {
        for (let i = 0; i < 3; i++) {
          const res = await list();
          expect(res.status).to.equal(200);
          expect(res.body.items.map((c: {id: string}) => c.id)).to.eql([
            group.id,
          ]);
          expect((await one()).body.id).to.equal(group.id);
        }
      } finally {
        await testDbQuery('ALTER TABLE chat_conversations DROP COLUMN extra');
      }
    });
  });
});
