import {BindingKey} from '@loopback/core';
import {RestApplication} from '@loopback/rest';
import {Client, createRestAppClient, expect} from '@loopback/testlab';
import {
  ChatDataSource,
  ChatOrm,
  ChatServiceBindings,
  ChatServiceComponent,
  JUGGLER_CLASSES,
  MemoryEventBus,
  PostgresEventBus,
} from '../..';
import {SEQUELIZE_CLASSES} from '../../sequelize';
import {
  closeTestDataSource,
  describeBackend,
  givenGroup,
  givenUsers,
  givenTestDataSource,
  testBackend,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  truncateChatTables,
} from '../fixtures';

const CLASSES = {juggler: JUGGLER_CLASSES, sequelize: SEQUELIZE_CLASSES};

/** How a host may hand over its configuration after adding the component. */
const LATE_BINDINGS: [
  string,
  (app: RestApplication) => {to(v: object): void},
][] = [
  [
    'app.configure(COMPONENT)',
    app => app.configure(ChatServiceBindings.COMPONENT),
  ],
  ['app.bind(CONFIG)', app => app.bind(ChatServiceBindings.CONFIG)],
];

describe(`Component configuration (acceptance, ${describeBackend()})`, () => {
  const dataSources: ChatDataSource[] = [];
  let app: RestApplication | undefined;

  beforeEach(truncateChatTables);
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    for (const dataSource of dataSources.splice(0)) {
      await closeTestDataSource(dataSource);
    }
  });

  it('is the binding app.configure(COMPONENT) makes, at CONFIG', () => {
    const host = new RestApplication();
    const binding = host.configure(ChatServiceBindings.COMPONENT);
    expect(binding.key).to.equal(ChatServiceBindings.CONFIG.key);
  });

  for (const [how, bindConfig] of LATE_BINDINGS) {
    for (const orm of ['juggler', 'sequelize'] as ChatOrm[]) {
      it(`honours ${how} after component() (orm: '${orm}')`, async () => {
        const host = givenHost('chatStore', orm);
        bindConfig(host).to({
          orm,
          datasourceName: 'chatStore',
          limits: {maxPageSize: 300},
          realtime: {eventBus: 'postgres'},
        });

        const resolved = await host.get(ChatServiceBindings.RESOLVED_CONFIG);
        expect(resolved.limits.maxPageSize).to.equal(300);
        expect(await host.get(ChatServiceBindings.DATASOURCE)).to.equal(
          dataSources[0],
        );
        expect(
          await host.get(ChatServiceBindings.MESSAGE_REPOSITORY),
        ).to.be.instanceOf(CLASSES[orm].MessageRepository);
        expect(await host.get(ChatServiceBindings.EVENT_BUS)).to.be.instanceOf(
          PostgresEventBus,
        );
      });
    }
  }

  it('answers with a configuration bound after component() and start', async () => {
    const host = givenHost('chatDb', testBackend().orm);
    app = host;
    host.configure(ChatServiceBindings.COMPONENT).to({
      orm: testBackend().orm,
      authentication: {jwt: {secret: TEST_JWT_SECRET, issuer: TEST_JWT_ISSUER}},
      limits: {maxPageSize: 300},
    });
    await host.start();
    const client: Client = createRestAppClient(host);
    const [owner] = await givenUsers(1);
    // the JWT secret of the late configuration verifies the token
    const group = await givenGroup(client, owner);
    // above the default maximum of 200, within the configured 300
    await client
      .get(`/conversations/${group.id}/messages?limit=250`)
      .set('Authorization', owner.auth)
      .expect(200);
    await client
      .get(`/conversations/${group.id}/messages?limit=301`)
      .set('Authorization', owner.auth)
      .expect(422);
    expect(await host.get(ChatServiceBindings.EVENT_BUS)).to.be.instanceOf(
      MemoryEventBus,
    );
  });

  it('lets a later configuration replace an earlier one', async () => {
    const host = new RestApplication();
    host.bind(ChatServiceBindings.CONFIG).to({limits: {maxPageSize: 100}});
    host.component(ChatServiceComponent);
    host.configure(ChatServiceBindings.COMPONENT).to({
      limits: {maxPageSize: 120},
    });
    const resolved = await host.get(ChatServiceBindings.RESOLVED_CONFIG);
    expect(resolved.limits.maxPageSize).to.equal(120);
  });

  /** A host that adds the component before any configuration. */
  function givenHost(datasourceName: string, orm: ChatOrm): RestApplication {
    const host = new RestApplication({
      rest: {port: 0, host: '127.0.0.1', expressSettings: {}},
    });
    host.component(ChatServiceComponent);
    const dataSource = givenTestDataSource(orm, datasourceName);
    dataSources.push(dataSource);
    host
      .bind(BindingKey.create<ChatDataSource>(`datasources.${datasourceName}`))
      .to(dataSource);
    return host;
  }
});
