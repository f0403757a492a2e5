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

/**
 * Fields that `anyOf` rules (see {@link anyOfRule}) report a failure at,
 * by the rule's message: read by the error middleware.
 */
export const ANY_OF_RULE_FIELDS = new Map<string, string>();

/**
 * An `anyOf` whose failure is ONE detail, at `field` (a JSON pointer such as
 * `/body`) with `message`, instead of AJV's "must match a schema in anyOf"
 * plus every branch's own errors. The `errorMessage` keyword is ajv-errors'
 * (loaded by LoopBack's validator); validation is the plain `anyOf`.
 */
export function anyOfRule(
  field: string,
  message: string,
  branches: SchemaObject[],
): Pick<SchemaObject, 'anyOf'> {
  ANY_OF_RULE_FIELDS.set(message, field);
  return {
    anyOf: branches.map(b => ({...b, errorMessage: message})),
    errorMessage: {anyOf: message},
  } as Pick<SchemaObject, 'anyOf'>;
}
