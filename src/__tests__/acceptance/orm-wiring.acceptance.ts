import {BindingKey} from '@loopback/core';
import {DefaultCrudRepository} from '@loopback/repository';
import {RestApplication} from '@loopback/rest';
import {SequelizeCrudRepository} from '@loopback/sequelize';
import {expect} from '@loopback/testlab';
import {
  ChatDataSource,
  ChatOrmClasses,
  ChatServiceBindings,
  ChatServiceComponent,
  ChatServiceConfig,
  JUGGLER_CLASSES,
  JugglerChatDb,
} from '../..';
import {SEQUELIZE_CLASSES, SequelizeChatDb} from '../../sequelize';
import {
  closeTestDataSource,
  describeBackend,
  givenTestDataSource,
} from '../fixtures';

const REPOSITORY_KEYS = {
  ConversationRepository: ChatServiceBindings.CONVERSATION_REPOSITORY,
  MemberRepository: ChatServiceBindings.MEMBER_REPOSITORY,
  MessageRepository: ChatServiceBindings.MESSAGE_REPOSITORY,
  EventRepository: ChatServiceBindings.EVENT_REPOSITORY,
  AttachmentRepository: ChatServiceBindings.ATTACHMENT_REPOSITORY,
  AttachmentDownloadRepository:
    ChatServiceBindings.ATTACHMENT_DOWNLOAD_REPOSITORY,
};

const VARIANTS = {
  juggler: {
    classes: JUGGLER_CLASSES,
    base: DefaultCrudRepository,
    chatDb: JugglerChatDb,
    other: SEQUELIZE_CLASSES,
  },
  sequelize: {
    classes: SEQUELIZE_CLASSES,
    base: SequelizeCrudRepository,
    chatDb: SequelizeChatDb,
    other: JUGGLER_CLASSES,
  },
} as const;

const SETTINGS: [string, ChatServiceConfig, keyof typeof VARIANTS][] = [
  ['no orm setting', {}, 'juggler'],
  ["orm: 'juggler'", {orm: 'juggler'}, 'juggler'],
  ["orm: 'sequelize'", {orm: 'sequelize'}, 'sequelize'],
  ['useSequelize: true', {useSequelize: true}, 'sequelize'],
  ['useSequelize: false', {useSequelize: false}, 'juggler'],
  [
    "orm: 'juggler' over useSequelize",
    {orm: 'juggler', useSequelize: true},
    'juggler',
  ],
];

describe(`ORM wiring (acceptance, ${describeBackend()})`, () => {
  for (const [title, config, orm] of SETTINGS) {
    it(`binds the ${orm} classes for ${title}`, async () => {
      const variant = VARIANTS[orm];
      const dataSource = givenTestDataSource(orm);
      const app = givenApp(config, dataSource);
      try {
        for (const [name, key] of Object.entries(REPOSITORY_KEYS)) {
          const expected = variant.classes[name as keyof ChatOrmClasses];
          const repository = await app.get<object>(key);
          expect(repository).to.be.instanceOf(expected);
          expect(repository).to.be.instanceOf(variant.base);
          expect(repository.constructor.name).to.equal(name);
          expect(repository).to.not.be.instanceOf(
            variant.other[name as keyof ChatOrmClasses],
          );
          expect((repository as {dataSource: unknown}).dataSource).to.equal(
            dataSource,
          );
          // singletons: host code and the component share one instance
          expect(await app.get<object>(key)).to.equal(repository);
        }
        const chatDb = await app.get(ChatServiceBindings.DATABASE);
        expect(chatDb).to.be.instanceOf(variant.chatDb);
      } finally {
        await closeTestDataSource(dataSource);
      }
    });
  }

  it('keeps the class names of the juggler repositories for Sequelize', () => {
    for (const name of Object.keys(REPOSITORY_KEYS)) {
      const key = name as keyof ChatOrmClasses;
      expect(SEQUELIZE_CLASSES[key].name).to.equal(name);
      expect(JUGGLER_CLASSES[key].name).to.equal(name);
      expect(SEQUELIZE_CLASSES[key]).to.not.equal(JUGGLER_CLASSES[key]);
    }
  });
});

function givenApp(config: ChatServiceConfig, dataSource: ChatDataSource) {
  const app = new RestApplication();
  app
    .bind(BindingKey.create<ChatDataSource>('datasources.chatDb'))
    .to(dataSource);
  app.bind(ChatServiceBindings.CONFIG).to(config);
  app.component(ChatServiceComponent);
  return app;
}
