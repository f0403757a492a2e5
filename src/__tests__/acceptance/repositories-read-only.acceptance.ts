import {BindingKey} from '@loopback/core';
import {RestApplication} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {
  CHAT_REPOSITORY_WRITES,
  ChatDataSource,
  ChatOrm,
  ChatServiceBindings,
  ChatServiceComponent,
} from '../..';
import {
  closeTestDataSource,
  describeBackend,
  givenChatSuite,
  givenGroup,
  givenMessages,
  givenTestDataSource,
  givenUsers,
  testDbQuery,
} from '../fixtures';

const REPOSITORY_KEYS = [
  ChatServiceBindings.CONVERSATION_REPOSITORY,
  ChatServiceBindings.MEMBER_REPOSITORY,
  ChatServiceBindings.MESSAGE_REPOSITORY,
  ChatServiceBindings.EVENT_REPOSITORY,
  ChatServiceBindings.ATTACHMENT_REPOSITORY,
  ChatServiceBindings.ATTACHMENT_DOWNLOAD_REPOSITORY,
];

/** A repository as plain JavaScript sees it: any method by name. */
type Untyped = Record<string, (...args: unknown[]) => Promise<unknown>>;

describe(`Read-only repositories (acceptance, ${describeBackend()})`, () => {
  const testApp = givenChatSuite();

  // both ORMs on the run's database, whichever ORM the API runs on
  for (const orm of ['juggler', 'sequelize'] as ChatOrm[]) {
    describe(`orm: '${orm}'`, () => {
      let host: RestApplication;
      let dataSource: ChatDataSource;

      beforeEach(() => {
        dataSource = givenTestDataSource(orm);
        host = new RestApplication();
        host
          .bind(BindingKey.create<ChatDataSource>('datasources.chatDb'))
          .to(dataSource);
        host.component(ChatServiceComponent);
        host.configure(ChatServiceBindings.COMPONENT).to({orm});
      });
      afterEach(() => closeTestDataSource(dataSource));

      it('reads what the services wrote', async () => {
        const {client} = testApp;
        const [owner, member] = await givenUsers(2);
        const group = await givenGroup(client, owner, [member]);
        const [first] = await givenMessages(client, owner, group.id, 2);

        const messages = await host.get(ChatServiceBindings.MESSAGE_REPOSITORY);
        expect(await messages.count({conversationId: group.id})).to.eql({
          count: 2,
        });
        expect((await messages.findById(first.id)).body).to.equal('message 1');
        expect(await messages.exists(first.id)).to.be.true();
        const found = await messages.find({
          where: {conversationId: group.id},
          order: ['seq DESC'],
          limit: 1,
        });
        expect(found.map(m => m.seq)).to.eql([2]);
        const conversations = await host.get(
          ChatServiceBindings.CONVERSATION_REPOSITORY,
        );
        expect((await conversations.findById(group.id)).lastSeq).to.equal(2);
      });

      it('refuses every write method and writes nothing', async () => {
        const {client} = testApp;
        const [owner] = await givenUsers(1);
        const group = await givenGroup(client, owner);
        const [message] = await givenMessages(client, owner, group.id, 1);
        const before = await tableCounts();

        for (const key of REPOSITORY_KEYS) {
          const repository = (await host.get<object>(key)) as Untyped;
          const name = repository.constructor.name;
          for (const method of CHAT_REPOSITORY_WRITES) {
            await expect(
              repository[method](message.id, {body: 'forged'}),
            ).to.be.rejectedWith(
              new RegExp(`^${name} is read-only: ${method}\\(\\) would bypass`),
            );
          }
        }

        const messages = await host.get(ChatServiceBindings.MESSAGE_REPOSITORY);
        expect((await messages.findById(message.id)).body).to.equal(
          'message 1',
        );
        expect(await tableCounts()).to.eql(before);
      });
    });
  }
});

/** Rows in each table the repositories cover. */
async function tableCounts(): Promise<Record<string, number>> {
  const tables = [
    'chat_conversations',
    'chat_members',
    'chat_messages',
    'chat_events',
    'chat_attachments',
    'chat_attachment_downloads',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await testDbQuery<{n: unknown}>(
      `SELECT COUNT(*) AS n FROM ${table}`,
    );
    counts[table] = Number(row.n);
  }
  return counts;
}
