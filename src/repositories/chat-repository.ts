import {inject} from '@loopback/core';
import {Entity, EntityCrudRepository, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';

/**
 * The host's datasource at `datasources.<datasourceName>`: a juggler
 * datasource (`orm: 'juggler'`) or a @loopback/sequelize one (`'sequelize'`).
 */
export type ChatDataSource = juggler.DataSource | SequelizeDataSourceLike;

/**
 * A @loopback/sequelize `SequelizeDataSource`, as far as the main entry
 * point needs to know it: its declarations do not import
 * @loopback/sequelize, which a juggler host does not install.
 */
export interface SequelizeDataSourceLike {
  name: string;
  /** Runs a statement (as juggler's `DataSource.execute`). */
  execute(
    command: string,
    parameters?: unknown[] | object,
    options?: object,
  ): Promise<unknown>;
  /** Closes its connections (a lifecycle observer's `stop`). */
  stop(): Promise<void>;
}

/** A CRUD repository base class of one ORM, made for one entity. */
export type RepositoryBase<R extends object, DS> = new (
  entityClass: typeof Entity & {prototype: never},
  dataSource: DS,
) => R;

/**
 * The methods of a CRUD repository that write (or run arbitrary
 * statements, or alter tables). The component's repositories refuse them:
 * a row written past the services would skip `seq`, the event log and read
 * state. Hosts write through the services (`MessageService`, ...).
 */
export const CHAT_REPOSITORY_WRITES = [
  'create',
  'createAll',
  'save',
  'update',
  'updateAll',
  'updateById',
  'replaceById',
  'delete',
  'deleteAll',
  'deleteById',
  'execute',
  'syncSequelizeModel',
  'syncLoadedSequelizeModels',
] as const;

/** A write method the component's repositories refuse. */
export type ChatRepositoryWrite = (typeof CHAT_REPOSITORY_WRITES)[number];

/**
 * What the component's repositories offer hosts, whatever the ORM: reads of
 * its tables. Writes go through the services.
 */
export type ChatReadRepository<T extends Entity, ID> = Omit<
  EntityCrudRepository<T, ID>,
  ChatRepositoryWrite
>;

/**
 * The component's read-only repository of `entityClass` on an ORM's base
 * class: the part every repository shares, whatever the ORM. Its one
 * constructor argument is the datasource at `ChatServiceBindings.DATASOURCE`.
 * The write methods of the base class throw (and are not on its type).
 *
 * ```ts
 * export class ConversationRepository extends chatRepository(
 *   ChatCrudRepository<Conversation, string>,
 *   Conversation,
 * ) {}
 * ```
 */
export function chatRepository<R extends object, DS>(
  base: RepositoryBase<R, DS>,
  entityClass: typeof Entity,
): new (dataSource: DS) => Omit<R, ChatRepositoryWrite> {
  const Unchecked = base as unknown as new (...args: unknown[]) => object;
  class ChatRepository extends Unchecked {
    constructor(@inject(ChatServiceBindings.DATASOURCE) dataSource: DS) {
      super(entityClass, dataSource);
    }
  }
  for (const method of CHAT_REPOSITORY_WRITES) {
    Object.defineProperty(ChatRepository.prototype, method, {
      value: refuseWrite(method),
      writable: true,
      configurable: true,
    });
  }
  return ChatRepository as unknown as new (
    dataSource: DS,
  ) => Omit<R, ChatRepositoryWrite>;
}

function refuseWrite(method: ChatRepositoryWrite) {
  return function write(this: object): Promise<never> {
    return Promise.reject(
      new Error(
        `${this.constructor.name} is read-only: ${method}() would bypass ` +
          'the conversation sequence, the event log and read state. Write ' +
          'through the chat services (ChatServiceBindings.*_SERVICE).',
      ),
    );
  };
}
