// Child process of `npm run bench`: the demo host application (the component
// as a host mounts it) on the bench database, plus the page floor route. Environment: DATABASE_URL,
// JWT_SECRET, BENCH_POOL_SIZE, BENCH_ORM, and BENCH_PREPARED=1 for the what-if of named
// prepared statements (not what the component does today; PostgreSQL only).
import {createHash} from 'crypto';
import {Client} from 'pg';
import {DemoApplication} from '../demo/application';
import {PageFloorController} from './page-floor.controller';
import {serveUntilStopped} from './processes';

async function main() {
  const app = new DemoApplication(
    {
      databaseUrl: process.env.DATABASE_URL!,
      jwtSecret: process.env.JWT_SECRET!,
      poolSize: Number(process.env.BENCH_POOL_SIZE),
      orm: process.env.BENCH_ORM === 'sequelize' ? 'sequelize' : 'juggler',
    },
    {
      rest: {port: 0, host: '127.0.0.1', gracePeriodForClose: 10000},
      shutdown: {signals: []},
    },
  );
  app.controller(PageFloorController);
  if (process.env.BENCH_PREPARED === '1') usePreparedStatements();
  await app.start();
  serveUntilStopped(app.restServer.url!, () => app.stop());
}

/**
 * Turns every statement with parameters that a `pg` client of this process
 * runs into a named prepared statement (name = hash of the text), so
 * PostgreSQL plans each once per connection.
 */
function usePreparedStatements() {
  type Query = (
    config: unknown,
    values?: unknown,
    callback?: unknown,
  ) => unknown;
  const proto = Client.prototype as unknown as {query: Query};
  const query = proto.query;
  proto.query = function (this: Client, config, values, callback) {
    if (typeof config === 'string' && Array.isArray(values) && values.length) {
      const name = createHash('sha1').update(config).digest('base64url');
      return query.call(this, {name, text: config, values}, callback);
    }
    return query.call(this, config, values, callback);
  };
}

main().catch(err => {
  console.error(`bench app server: ${err?.stack ?? err}`);
  process.exit(1);
});
