import {inject} from '@loopback/core';
import {Entity, juggler} from '@loopback/repository';
import type {SequelizeDataSource} from '@loopback/sequelize';
import {ChatServiceBindings} from '../keys';

/**
 * The host's datasource at `datasources.<datasourceName>`: a juggler
 * datasource (`orm: 'juggler'`) or a @loopback/sequelize one (`'sequelize'`).
 */
export type ChatDataSource = juggler.DataSource | SequelizeDataSource;

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
