import {SchemaObject} from '@loopback/rest';

// PostgreSQL text and jsonb cannot hold NUL or unpaired surrogates
const storableText = '^[^\\u0000\\ud800-\\udfff]*$';

/** A non-empty string the database can store, of at most `maxLength`. */
export const text = (maxLength = 255): SchemaObject => ({
  type: 'string',
  minLength: 1,
  maxLength,
  pattern: storableText,
});

export const nullable = (schema: SchemaObject): SchemaObject => ({
  ...schema,
  nullable: true,
});

export const timestamp: SchemaObject = {type: 'string', format: 'date-time'};
export const uuid: SchemaObject = {type: 'string', format: 'uuid'};
