import {SchemaObject} from '@loopback/rest';
import {MAX_ATTACHMENTS_PER_MESSAGE} from '../services/attachment-views';

// PostgreSQL text and jsonb cannot hold NUL or unpaired surrogates
const storableText = '^[^\\u0000\\ud800-\\udfff]*$';
const text = (maxLength = 255): SchemaObject => ({
  type: 'string',
  minLength: 1,
  maxLength,
  pattern: storableText,
});
const nullable = (schema: SchemaObject): SchemaObject => ({
  ...schema,
  nullable: true,
});
const timestamp: SchemaObject = {type: 'string', format: 'date-time'};
const uuid: SchemaObject = {type: 'string', format: 'uuid'};
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
    anyOf: [
      {required: ['body']},
      {required: ['attachmentIds'], properties: {attachmentIds: {minItems: 1}}},
    ],
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

const attachment: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    conversationId: uuid,
    messageId: nullable(uuid),
    uploaderId: {type: 'string'},
    fileName: {type: 'string'},
    contentType: {type: 'string'},
    size: {type: 'integer'},
    sha256: {type: 'string', description: 'Hex SHA-256 of the bytes'},
    createdAt: timestamp,
  },
};

const attachmentDownload: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    attachmentId: uuid,
    userId: {type: 'string'},
    downloadedAt: timestamp,
    ip: nullable({type: 'string'}),
    userAgent: nullable({type: 'string'}),
    bytes: {type: 'integer', description: 'Bytes sent'},
    range: nullable({
      type: 'string',
      description: "The range served ('bytes=0-99'); null for the whole file",
    }),
  },
};

const message: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    conversationId: uuid,
    seq: {type: 'integer'},
    senderId: {type: 'string'},
    body: nullable({type: 'string'}),
    clientMessageId: nullable({type: 'string'}),
    parentMessageId: nullable(uuid),
    attachments: {type: 'array', items: attachment},
    createdAt: timestamp,
    editedAt: nullable(timestamp),
    deletedAt: nullable(timestamp),
  },
};

const member: SchemaObject = {
  type: 'object',
  properties: {
    userId: {type: 'string'},
    role: {type: 'string', enum: ['owner', 'admin', 'member']},
    joinedAt: timestamp,
    lastReadSeq: {type: 'integer'},
  },
};

const conversation: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    type: {type: 'string', enum: ['direct', 'group']},
    title: nullable({type: 'string'}),
    externalId: nullable({type: 'string'}),
    metadata: nullable({type: 'object'}),
    createdAt: timestamp,
    lastMessageAt: nullable(timestamp),
    lastMessage: nullable(message),
    lastSeq: {type: 'integer'},
    unreadCount: {type: 'integer'},
    members: {type: 'array', items: member},
  },
};

const list = (items: SchemaObject, paged = false): SchemaObject => ({
  type: 'object',
  properties: {
    items: {type: 'array', items},
    ...(paged ? {nextCursor: nullable({type: 'string'})} : {}),
  },
});

const event: SchemaObject = {
  type: 'object',
  description:
    'A logged event: the type decides the other fields (message, members, ' +
    'member, userId, lastReadSeq, changes).',
  properties: {
    id: {type: 'integer'},
    type: {type: 'string'},
    conversationId: uuid,
    createdAt: timestamp,
    actorId: nullable({type: 'string'}),
  },
};

/** Response body schemas. */
export const ResponseSchemas = {
  attachment,
  downloadPage: list(attachmentDownload, true),
  syncPage: {
    type: 'object',
    properties: {
      items: {type: 'array', items: event},
      nextCursor: {type: 'string'},
    },
  },
  message,
  member,
  conversation,
  conversationPage: list(conversation, true),
  messageList: list(message),
  memberList: list(member),
  readPosition: {
    type: 'object',
    properties: {
      lastReadSeq: {type: 'integer'},
      unreadCount: {type: 'integer'},
    },
  },
  receipts: list({
    type: 'object',
    properties: {userId: {type: 'string'}, lastReadSeq: {type: 'integer'}},
  }),
  unread: {
    type: 'object',
    properties: {
      total: {type: 'integer'},
      conversations: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            conversationId: uuid,
            unreadCount: {type: 'integer'},
          },
        },
      },
    },
  },
} satisfies Record<string, SchemaObject>;
