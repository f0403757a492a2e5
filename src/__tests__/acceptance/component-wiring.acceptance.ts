import {expect} from '@loopback/testlab';
import {
  BearerTokenStrategy,
  ChatServiceBindings,
  ChatServiceComponent,
  resolveChatServiceConfig,
} from '../..';
import {
  describeBackend,
  givenGroup,
  givenMessages,
  givenTestApp,
  givenUsers,
  stopTestApp,
  testBackend,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  givenChatSuite,
} from '../fixtures';

describe(`Component wiring (acceptance, ${describeBackend()})`, () => {
  const testApp = givenChatSuite({limits: {maxPageSize: 300}});

  it("uses the host's datasource and its own component instance", async () => {
    const {app, dataSource} = testApp;
    expect(await app.get(ChatServiceBindings.DATASOURCE)).to.equal(dataSource);
    const repository = await app.get(
      ChatServiceBindings.CONVERSATION_REPOSITORY,
    );
    expect((repository as {dataSource?: unknown}).dataSource).to.equal(
      dataSource,
    );
    expect(await app.get(ChatServiceBindings.COMPONENT)).to.be.instanceOf(
      ChatServiceComponent,
    );
    expect(await app.get(ChatServiceBindings.AUTH_STRATEGY)).to.be.instanceOf(
      BearerTokenStrategy,
    );
  });

  it("resolves the config as the defaults merged with the host's", async () => {
    const resolved = await testApp.app.get(ChatServiceBindings.RESOLVED_CONFIG);
    const jwt = {secret: TEST_JWT_SECRET, issuer: TEST_JWT_ISSUER};
    expect(resolved).to.eql(
      resolveChatServiceConfig({
        orm: testBackend().orm,
        limits: {maxPageSize: 300},
        authentication: {jwt},
      }),
    );
    expect(resolved.limits).to.eql({
      defaultPageSize: 50,
      maxPageSize: 300,
      maxMessageLength: 10000,
      maxMembersPerRequest: 1000,
      maxUnreadConversations: 500,
      maxJsonDepth: 64,
    });
  });

  it('lets the repositories read the tables the API uses', async () => {
    const {app, client} = testApp;
    const [owner, member] = await givenUsers(2);
    const group = await givenGroup(client, owner, [member], {
      externalId: 'case-42',
      metadata: {priority: 'high'},
    });
    await givenMessages(client, member, group.id, 2);

    const conversations = await app.get(
      ChatServiceBindings.CONVERSATION_REPOSITORY,
    );
    const found = await conversations.findById(group.id);
    expect(found.toJSON()).to.containDeep({
      id: group.id,
      tenantId: '',
      type: 'group',
      title: 'Team',
      externalId: 'case-42',
      metadata: {priority: 'high'},
      lastSeq: 2,
      createdBy: owner.id,
    });
    expect(found.createdAt).to.be.instanceOf(Date);

    const messages = await app.get(ChatServiceBindings.MESSAGE_REPOSITORY);
    expect(await messages.count({conversationId: group.id})).to.eql({count: 2});
    const history = await messages.find({
      where: {conversationId: group.id},
      order: ['seq ASC'],
    });
    expect(history.map(m => [m.seq, m.senderId, m.body])).to.eql([
      [1, member.id, 'message 1'],
      [2, member.id, 'message 2'],
    ]);

    const members = await app.get(ChatServiceBindings.MEMBER_REPOSITORY);
    const rows = await members.find({
      where: {conversationId: group.id},
      order: ['joinedAt ASC', 'userId ASC'],
    });
    expect(rows.map(m => m.userId).sort()).to.eql([owner.id, member.id].sort());
    expect(rows.find(m => m.userId === owner.id)).to.containDeep({
      role: 'owner',
      lastReadSeq: 0,
    });
    expect(rows.find(m => m.userId === member.id)).to.containDeep({
      role: 'member',
      lastReadSeq: 2,
    });

    const events = await app.get(ChatServiceBindings.EVENT_REPOSITORY);
    const log = await events.find({
      where: {conversationId: group.id},
      order: ['id ASC'],
    });
    expect(log.map(e => typeof e.id)).to.eql(['number', 'number', 'number']);
    expect(log.map(e => e.type)).to.eql([
      'member.added',
      'message.created',
      'message.created',
    ]);

    // the repositories only read: writes go through the services
    await expect(
      (conversations as unknown as RawRepository).updateById(group.id, {
        title: 'Renamed',
      }),
    ).to.be.rejectedWith(/ConversationRepository is read-only/);
    expect((await conversations.findById(group.id)).title).to.equal('Team');
  });

  it('follows config.datasourceName to another datasource binding', async () => {
    const other = await givenTestApp({datasourceName: 'chatStore'});
    try {
      expect(other.app.isBound('datasources.chatDb')).to.be.false();
      const [owner] = await givenUsers(1);
      const group = await givenGroup(other.client, owner);
      const repository = await other.app.get(
        ChatServiceBindings.CONVERSATION_REPOSITORY,
      );
      expect((await repository.findById(group.id)).title).to.equal('Team');
    } finally {
      await stopTestApp(other);
    }
  });
});

/** A repository as plain JavaScript sees it, write methods included. */
interface RawRepository {
  updateById(id: string, data: object): Promise<void>;
}
