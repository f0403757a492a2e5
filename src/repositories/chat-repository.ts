import {inject} from '@loopback/core';
import {Entity, juggler} from '@loopback/repository';
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
 * The component's repository of `entityClass` on an ORM's base class: the
 * part every repository shares, whatever the ORM. Its one constructor
 * argument is the datasource at `ChatServiceBindings.DATASOURCE`.
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
): new (dataSource: DS) => R {
  const Unchecked = base as unknown as new (...args: unknown[]) => object;
  class ChatRepository extends Unchecked {
    constructor(@inject(ChatServiceBindings.DATASOURCE) dataSource: DS) {
      super(entityClass, dataSource);
    }
  }
  return ChatRepository as unknown as new (dataSource: DS) => R;
}
