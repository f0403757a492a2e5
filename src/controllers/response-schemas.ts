import {SchemaObject} from '@loopback/rest';
import {nullable, timestamp, uuid} from '../rest/schema-parts';

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
    online: {type: 'boolean', description: 'Whether the member is online'},
    lastSeenAt: nullable({
      ...timestamp,
      description: 'When an offline member was last seen; null while online',
    }),
    profile: nullable({
      type: 'object',
      description:
        "From the host's user-profile resolver, when it binds one; null " +
        'when it has no profile of the user',
      properties: {
        displayName: {type: 'string'},
        avatarUrl: {type: 'string'},
      },
      additionalProperties: true,
    }),
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
      total: {
        type: 'integer',
        description: 'Unread messages over all conversations, listed or not',
      },
      conversations: {
        type: 'array',
        description:
          'The most recently active conversations with unread messages, ' +
          'at most `limits.maxUnreadConversations`',
        items: {
          type: 'object',
          properties: {
            conversationId: uuid,
            unreadCount: {type: 'integer'},
          },
        },
      },
      truncated: {
        type: 'boolean',
        description: 'Some conversations with unread messages are not listed',
      },
    },
  },
} satisfies Record<string, SchemaObject>;
