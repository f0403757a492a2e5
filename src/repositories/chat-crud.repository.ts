import {DefaultCrudRepository, Entity, juggler} from '@loopback/repository';

/**
 * Base of the component's juggler repositories. The pg driver answers
 * `bigint` columns (seq, read positions, event ids) as strings while the
 * models declare numbers; entities read through a repository get numbers.
 */
export class ChatCrudRepository<
  T extends Entity,
  ID,
> extends DefaultCrudRepository<T, ID> {
  protected toEntity<R extends T>(model: juggler.PersistedModel): R {
    const entity = super.toEntity<R>(model);
    const data = entity as unknown as Record<string, unknown>;
    const properties = this.entityClass.definition.properties;
    for (const [name, definition] of Object.entries(properties)) {
      if (definition.type === 'number' && typeof data[name] === 'string') {
        data[name] = Number(data[name]);
      }
    }
    return entity;
  }
}
