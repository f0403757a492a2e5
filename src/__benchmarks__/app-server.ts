// Child process of `npm run bench`: the demo host application (the component
// as a host mounts it) on the bench database, plus the bench-only routes
// (page floor, memory). Environment: DATABASE_URL, JWT_SECRET,
// BENCH_POOL_SIZE, BENCH_ORM, BENCH_PREPARED=0 to run without prepared
// statements, BENCH_EVENT_BUS (memory | postgres | redis; default memory),
// BENCH_REDIS_URL (the redis bus's server).
import {DemoApplication, DemoSettings} from '../demo/application';
import {BenchMemoryController} from './bench-memory.controller';
import {PageFloorController} from './page-floor.controller';
import {serveUntilStopped} from './processes';

async function main() {
  const app = new DemoApplication(
    {
      databaseUrl: process.env.DATABASE_URL!,
      jwtSecret: process.env.JWT_SECRET!,
      poolSize: Number(process.env.BENCH_POOL_SIZE),
      orm: process.env.BENCH_ORM === 'sequelize' ? 'sequelize' : 'juggler',
      preparedStatements: process.env.BENCH_PREPARED !== '0',
      eventBus: (process.env.BENCH_EVENT_BUS ??
        'memory') as DemoSettings['eventBus'],
      redisUrl: process.env.BENCH_REDIS_URL,
    },
    {
      rest: {port: 0, host: '127.0.0.1', gracePeriodForClose: 10000},
      shutdown: {signals: []},
    },
  );
  app.controller(PageFloorController);
  app.controller(BenchMemoryController);
  await app.start();
  serveUntilStopped(app.restServer.url!, () => app.stop());
}

main().catch(err => {
  console.error(`bench app server: ${err?.stack ?? err}`);
  process.exit(1);
});
