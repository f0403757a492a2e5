import {SchemaObject} from '@loopback/rest';
import {MAX_ATTACHMENTS_PER_MESSAGE} from '../services/attachment-views';
import {anyOfRule, nullable, text, uuid} from '../rest/schema-parts';

const userIds: SchemaObject = {
  type: 'array',
  items: text(),
  maxItems: 1000,
};
const metadata: SchemaObject = {
  type: 'object',
  maxProperties: 100,
  description: 'Free-form JSON the host attaches to the conversation.',
};

/** Request body schemas: strict, with limits, server-owned fields absent. */
export const RequestSchemas = {
  createConversation: {
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: {
      type: {type: 'string', enum: ['direct', 'group']},
      memberIds: userIds,
      title: text(),
      externalId: text(),
      metadata,
    },
  },
  updateConversation: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      title: text(),
      externalId: nullable(text()),
      metadata: nullable(metadata),
    },
  },
  addMembers: {
    type: 'object',
    additionalProperties: false,
    required: ['userIds'],
    properties: {userIds: {...userIds, minItems: 1}},
  },
  changeRole: {
    type: 'object',
    additionalProperties: false,
    required: ['role'],
    properties: {role: {type: 'string', enum: ['owner', 'admin', 'member']}},
  },
  sendMessage: {
    type: 'object',
    additionalProperties: false,
    // a body, unless the message carries attachments
    ...anyOfRule(
      '/body',
      'is required unless attachmentIds names attachments (a message ' +
        'needs a body or attachments)',
      [
        {required: ['body']},
        {
          required: ['attachmentIds'],
          properties: {attachmentIds: {minItems: 1}},
        },
      ],
    ),
    properties: {
      body: {
        type: 'string',
        minLength: 1,
        description: 'Required unless attachmentIds is given.',
      },
      clientMessageId: text(),
      parentMessageId: uuid,
      attachmentIds: {
        type: 'array',
        items: uuid,
        maxItems: MAX_ATTACHMENTS_PER_MESSAGE,
        uniqueItems: true,
        description:
          'Attachments the sender uploaded to this conversation that no ' +
          'message carries yet.',
      },
    },
  },
  editMessage: {
    type: 'object',
    additionalProperties: false,
    required: ['body'],
    properties: {body: {type: 'string', minLength: 1}},
  },
  markRead: {
    type: 'object',
    additionalProperties: false,
    required: ['seq'],
    properties: {
      seq: {type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER},
    },
  },
  typing: {
    type: 'object',
    additionalProperties: false,
    required: ['typing'],
    properties: {typing: {type: 'boolean'}},
  },
} satisfies Record<string, SchemaObject>;

export {ResponseSchemas} from './response-schemas';
