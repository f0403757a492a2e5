// Child process of `npm run bench`: the demo host application (the component
// as a host mounts it) on the bench database. Environment: DATABASE_URL,
// JWT_SECRET, BENCH_POOL_SIZE, BENCH_ORM, and BENCH_PREPARED=1 for the what-if of named
// prepared statements (not what the component does today).
import {juggler} from '@loopback/repository';
import {createHash} from 'crypto';
import {DemoApplication} from '../demo/application';
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
  if (
    process.env.BENCH_PREPARED === '1' &&
    process.env.BENCH_ORM !== 'sequelize'
  ) {
    usePreparedStatements(app);
  }
  await app.start();
  serveUntilStopped(app.restServer.url!, () => app.stop());
}

/**
 * Turns every statement the datasource runs into a named prepared statement
 * (name = hash of the text), so PostgreSQL plans each once per connection.
 */
function usePreparedStatements(app: DemoApplication) {
  type Context = {req: {sql: string | {name: string; text: string}}};
  const dataSource = app.chatDataSource as juggler.DataSource;
  const connector = dataSource.connector as unknown as {
    observe(event: string, fn: (ctx: Context, next: () => void) => void): void;
  };
  connector.observe('before execute', (ctx, next) => {
    const text = ctx.req.sql;
    if (typeof text === 'string') {
      const name = createHash('sha1').update(text).digest('base64url');
      ctx.req.sql = {name, text};
    }
    next();
  });
}

main().catch(err => {
  console.error(`bench app server: ${err?.stack ?? err}`);
  process.exit(1);
});
