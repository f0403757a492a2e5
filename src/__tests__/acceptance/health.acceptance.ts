import {Client, createRestAppClient, expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {DemoApplication} from '../../demo/application';
import {
  CapturedLogger,
  eventually,
  TcpProxy,
  givenDemoApp,
  testBackend,
  testDatabaseUrl,
} from '../fixtures';

describe('GET /health of the demo (acceptance)', () => {
  const {db, orm} = testBackend();
  // the postgres bus where the database allows it: its LISTEN connection
  // goes through the proxy too
  const eventBus = db === 'postgres' ? 'postgres' : 'memory';
  let proxy: TcpProxy;
  let app: DemoApplication;
  let client: Client;
  let logger: CapturedLogger;

  beforeEach(async () => {
    proxy = await TcpProxy.for(testDatabaseUrl());
    logger = new CapturedLogger();
    app = await givenDemoApp(
      {databaseUrl: proxy.urlThrough(testDatabaseUrl()), orm, eventBus},
      logger,
    );
    client = createRestAppClient(app);
  });
  afterEach(async () => {
    proxy.restore();
    await app.stop();
    await proxy.close();
  });

  it('answers 200 without a token, with the database and the bus up', async () => {
    const res = await client.get('/health').expect(200);
    expect(res.body).to.containDeep({
      status: 'ok',
      database: {status: 'up'},
      eventBus: {type: eventBus, status: 'up', attempts: 0},
    });
    expect(res.body.database.responseMs).to.be.a.Number();
    expect(new Date(res.body.eventBus.since).getTime()).to.be.a.Number();
  });

  it('answers 503 with Retry-After naming what is down, and 200 once it is back', async () => {
    proxy.cut();
    const down = await client.get('/health').expect(503);
    expect(down.headers['retry-after']).to.equal('5');
    expect(down.body).to.containDeep({
      status: 'unavailable',
      database: {status: 'down'},
    });
    expect(down.body.database.error).to.be.a.String();
    if (eventBus === 'postgres') {
      await eventually(
        async () =>
          (await client.get('/health')).body.eventBus?.status === 'down',
        'the bus reported down',
      );
      expect(logger.matching('warn', /event bus lost/)).to.have.length(1);
    }
    proxy.restore();
    await eventually(
      async () => (await client.get('/health')).status === 200,
      'healthy again',
    );
  });

  it('answers 503 draining with Retry-After once the instance shuts down', async () => {
    const shutdown = await app.get(ChatServiceBindings.SHUTDOWN);
    await shutdown.drain();
    const res = await client.get('/health').expect(503);
    expect(res.headers['retry-after']).to.equal('1');
    expect(res.body).to.containDeep({
      status: 'draining',
      draining: true,
      database: {status: 'up'},
      eventBus: {status: 'up'},
    });
  });
});
