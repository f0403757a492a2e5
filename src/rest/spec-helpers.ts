import {OperationObject, ResponsesObject, SchemaObject} from '@loopback/rest';
import {CHAT_ROUTE_EXTENSION} from './chat-error.middleware';
import {CHAT_JSON_PARSER} from './chat-json-body-parser';

/** Name of the bearer security scheme the component adds to the spec. */
export const CHAT_SECURITY_SCHEME = 'chatBearer';

const errorBody: SchemaObject = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        statusCode: {type: 'integer'},
        name: {type: 'string'},
        message: {type: 'string'},
        code: {type: 'string'},
      },
    },
  },
};

const ERRORS: Record<string, string> = {
  '401': 'Missing, invalid or expired token',
  '403': 'Not allowed for the caller',
  '404': 'Not found, or not visible to the caller',
  '409': 'Conflicts with the current state',
  '422': 'Invalid body or query; the message names the field',
};

/** A JSON response of `schema`. */
export function jsonResponse(description: string, schema: SchemaObject) {
  return {description, content: {'application/json': {schema}}};
}

/** An error response with LoopBack's error body. */
export function errorResponse(description: string) {
  return jsonResponse(description, errorBody);
}

/**
 * A JSON request body of `schema`, read by the component's parser, which
 * bounds its nesting before parsing (`ChatJsonBodyParser`).
 */
export function jsonBody(schema: SchemaObject) {
  return {
    required: true,
    content: {'application/json': {schema, 'x-parser': CHAT_JSON_PARSER}},
  };
}

/**
 * The operation spec shared by every route: bearer security, the error
 * responses, and the component's extension marker.
 */
export function chatOperation(
  summary: string,
  responses: ResponsesObject,
): OperationObject {
  const errors: ResponsesObject = {};
  for (const [status, description] of Object.entries(ERRORS)) {
    errors[status] = jsonResponse(description, errorBody);
  }
  return {
    summary,
    tags: ['chat'],
    security: [{[CHAT_SECURITY_SCHEME]: []}],
    responses: {...responses, ...errors},
    [CHAT_ROUTE_EXTENSION]: true,
  };
}
