import {Entity, PropertyDefinition} from '@loopback/repository';
import {SequelizeCrudRepository} from '@loopback/sequelize';
import {ModelAttributeColumnOptions, ModelAttributes} from 'sequelize';

type ConnectorSettings = {table?: string; columnName?: string};

/**
 * Base of the component's Sequelize repositories. The models carry their
 * table and column names in `postgresql` / `mysql` settings, as the juggler
 * connectors read them; @loopback/sequelize would use the lower-cased model
 * and property names instead. Number properties are `bigint` columns that
 * drivers may answer as strings: entities get numbers.
 */
export class ChatSequelizeRepository<
  T extends Entity,
  ID,
> extends SequelizeCrudRepository<T, ID> {
  getTableName(entityClass = this.entityClass): string {
    const settings = entityClass.definition.settings[this.settingsKey()] as
      ConnectorSettings | undefined;
    return settings?.table ?? super.getTableName(entityClass);
  }

  protected getSequelizeModelAttributes(definition: {
    [name: string]: PropertyDefinition;
  }): ModelAttributes {
    const attributes = super.getSequelizeModelAttributes(definition);
    for (const [name, property] of Object.entries(definition)) {
      const attribute = attributes[name] as ModelAttributeColumnOptions;
      const settings = property[this.settingsKey()] as
        ConnectorSettings | undefined;
      if (settings?.columnName) attribute.field = settings.columnName;
      if (property.type === 'number' || property.type === Number) {
        attribute.get = function getNumber() {
          const value = this.getDataValue(name);
          return typeof value === 'string' ? Number(value) : value;
        };
      }
    }
    return attributes;
  }

  /** The model settings key of the juggler connector for this dialect. */
  private settingsKey(): 'mysql' | 'postgresql' {
    return this.dataSource.sequelizeConfig.dialect === 'mysql'
      ? 'mysql'
      : 'postgresql';
  }
}
