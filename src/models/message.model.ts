import {Entity, model, property} from '@loopback/repository';
import {column, table} from './column';

@model({settings: {...table('chat_messages'), strict: true}})
export class Message extends Entity {
  @property({type: 'string', id: true, ...column('id', 'uuid')})
  id: string;

  @property({
    type: 'string',
    required: true,
    ...column('conversation_id', 'uuid'),
  })
  conversationId: string;

  @property({type: 'number', required: true, ...column('seq')})
  seq: number;

  @property({type: 'string', required: true, ...column('sender_id')})
  senderId: string;

  /** Null once the message is deleted. */
  @property({type: 'string', ...column('body')})
  body?: string | null;

  @property({type: 'string', ...column('client_message_id')})
  clientMessageId?: string | null;

  @property({type: 'string', ...column('parent_message_id', 'uuid')})
  parentMessageId?: string | null;

  @property({type: 'date', required: true, ...column('created_at')})
  createdAt: Date;

  @property({type: 'date', ...column('edited_at')})
  editedAt?: Date | null;

  @property({type: 'string', ...column('edited_by')})
  editedBy?: string | null;

  @property({type: 'date', ...column('deleted_at')})
  deletedAt?: Date | null;

  @property({type: 'string', ...column('deleted_by')})
  deletedBy?: string | null;

  constructor(data?: Partial<Message>) {
    super(data);
  }
}
