// The bindings whose target depends on the configuration. Each reads it when
// it is first resolved (at the latest when the application starts), not when
// the component is added, so a host may bind or change the configuration
// after `app.component(ChatServiceComponent)`.
import {
  Binding,
  BindingKey,
  BindingScope,
  config,
  Constructor,
  injectable,
  instantiateClass,
  Provider,
  ResolutionContext,
  ValueOrPromise,
} from '@loopback/core';
import {ChatServiceBindings} from './keys';
import {MemoryEventBus, PostgresEventBus, RedisEventBus} from './realtime';
import {
  ChatDataSource,
  ChatDb,
  chatOrmClasses,
  ChatOrmClasses,
} from './repositories';
import {
  ChatEventBus,
  ChatServiceConfig,
  ResolvedChatServiceConfig,
  resolveChatServiceConfig,
} from './types';

/**
 * Provides `ChatServiceBindings.RESOLVED_CONFIG`: the component's
 * configuration (`app.configure(ChatServiceBindings.COMPONENT)`, the same
 * binding as `ChatServiceBindings.CONFIG`) merged over the defaults, once.
 */
@injectable({scope: BindingScope.SINGLETON})
export class ResolvedChatServiceConfigProvider implements Provider<ResolvedChatServiceConfig> {
  constructor(
    @config({fromBinding: ChatServiceBindings.COMPONENT})
    private readonly given: ChatServiceConfig = {},
  ) {}

  value(): ResolvedChatServiceConfig {
    return resolveChatServiceConfig(this.given);
  }
}

/** The bindings that follow the configuration. */
export function configuredBindings(): Binding[] {
  return [
    Binding.bind(ChatServiceBindings.RESOLVED_CONFIG)
      .toProvider(ResolvedChatServiceConfigProvider)
      .inScope(BindingScope.SINGLETON),
    // not a singleton: it follows the host's datasource binding, as an alias
    Binding.bind(ChatServiceBindings.DATASOURCE).toDynamicValue(
      resolveDataSource,
    ),
    databaseBinding(),
    ormBinding(
      ChatServiceBindings.CONVERSATION_REPOSITORY,
      'ConversationRepository',
    ),
    ormBinding(ChatServiceBindings.MEMBER_REPOSITORY, 'MemberRepository'),
    ormBinding(ChatServiceBindings.MESSAGE_REPOSITORY, 'MessageRepository'),
    ormBinding(ChatServiceBindings.EVENT_REPOSITORY, 'EventRepository'),
    ormBinding(
      ChatServiceBindings.ATTACHMENT_REPOSITORY,
      'AttachmentRepository',
    ),
    ormBinding(
      ChatServiceBindings.ATTACHMENT_DOWNLOAD_REPOSITORY,
      'AttachmentDownloadRepository',
    ),
    configured(ChatServiceBindings.EVENT_BUS, eventBusClass),
  ];
}

async function resolveDataSource({
  context,
  options,
}: ResolutionContext): Promise<ChatDataSource> {
  const {datasourceName} = await context.get(
    ChatServiceBindings.RESOLVED_CONFIG,
    options.session,
  );
  return context.get<ChatDataSource>(
    `datasources.${datasourceName}`,
    options.session,
  );
}

/** The bus `realtime.eventBus` names. */
function eventBusClass(
  resolved: ResolvedChatServiceConfig,
): Constructor<ChatEventBus> {
  switch (resolved.realtime.eventBus) {
    case 'postgres':
      return PostgresEventBus;
    case 'redis':
      return RedisEventBus;
    default:
      return MemoryEventBus;
  }
}

/**
 * A singleton at `key`: an instance of the class of `config.orm` (juggler
 * or Sequelize, same class names).
 */
function ormBinding<T>(
  key: BindingKey<T>,
  name: Exclude<keyof ChatOrmClasses, 'ChatDbProvider'>,
): Binding<T> {
  return configured(key, resolved => chatOrmClasses(resolved.orm)[name]);
}

/** `ChatServiceBindings.DATABASE`: what the `ChatDb` provider of `config.orm` gives. */
function databaseBinding(): Binding<ChatDb> {
  return configured(
    ChatServiceBindings.DATABASE,
    resolved => chatOrmClasses(resolved.orm).ChatDbProvider,
    provider => (provider as Provider<ChatDb>).value(),
  );
}

/**
 * A singleton at `key` holding an instance of the class `pick` chooses by
 * the resolved configuration (or what `unwrap` makes of it).
 */
function configured<T>(
  key: BindingKey<T>,
  pick: (resolved: ResolvedChatServiceConfig) => Constructor<object>,
  unwrap: (instance: object) => ValueOrPromise<T> = instance => instance as T,
): Binding<T> {
  return Binding.bind(key)
    .toDynamicValue(async ({context, options}) => {
      const {session} = options;
      const resolved = await context.get(
        ChatServiceBindings.RESOLVED_CONFIG,
        session,
      );
      return unwrap(await instantiateClass(pick(resolved), context, session));
    })
    .inScope(BindingScope.SINGLETON);
}
