import {Entity, model, property} from '@loopback/repository';
import {column, table} from './column';

/** An uploaded file; its bytes are in the attachment storage under `storageKey`. */
@model({settings: {...table('chat_attachments'), strict: true}})
export class Attachment extends Entity {
  @property({type: 'string', id: true, ...column('id', 'uuid')})
  id: string;

  @property({type: 'string', required: true, ...column('tenant_id')})
  tenantId: string;

  @property({
    type: 'string',
    required: true,
    ...column('conversation_id', 'uuid'),
  })
  conversationId: string;

  /** The message that carries it; null until one does. */
  @property({type: 'string', ...column('message_id', 'uuid')})
  messageId?: string | null;

  @property({type: 'string', required: true, ...column('uploader_id')})
  uploaderId: string;

  /** The client's file name reduced to a safe base name. */
  @property({type: 'string', required: true, ...column('file_name')})
  fileName: string;

  @property({type: 'string', required: true, ...column('content_type')})
  contentType: string;

  @property({type: 'number', required: true, ...column('size')})
  size: number;

  /** Hex SHA-256 of the bytes. */
  @property({type: 'string', required: true, ...column('sha256')})
  sha256: string;

  /** Generated key of the bytes in the attachment storage. */
  @property({type: 'string', required: true, ...column('storage_key')})
  storageKey: string;

  @property({type: 'date', required: true, ...column('created_at')})
  createdAt: Date;

  /** Set when the message carrying it is deleted; content is then 404. */
  @property({type: 'date', ...column('deleted_at')})
  deletedAt?: Date | null;

  @property({type: 'string', ...column('deleted_by')})
  deletedBy?: string | null;

  constructor(data?: Partial<Attachment>) {
    super(data);
  }
}
