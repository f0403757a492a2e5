import {Entity, model, property} from '@loopback/repository';
import {ConversationType} from '../types';
import {column, table} from './column';

@model({settings: {...table('chat_conversations'), strict: true}})
export class Conversation extends Entity {
  @property({type: 'string', id: true, ...column('id', 'uuid')})
  id: string;

  @property({type: 'string', required: true, ...column('tenant_id')})
  tenantId: string;

  @property({type: 'string', required: true, ...column('type')})
  type: ConversationType;

  @property({type: 'string', ...column('title')})
  title?: string | null;

  @property({type: 'string', ...column('external_id')})
  externalId?: string | null;

  @property({type: 'object', ...column('metadata', 'jsonb')})
  metadata?: object | null;

  @property({type: 'string', ...column('direct_key')})
  directKey?: string | null;

  @property({type: 'number', required: true, ...column('last_seq')})
  lastSeq: number;

  @property({type: 'date', ...column('last_message_at')})
  lastMessageAt?: Date | null;

  @property({type: 'date', required: true, ...column('last_activity_at')})
  lastActivityAt: Date;

  @property({type: 'string', required: true, ...column('created_by')})
  createdBy: string;

  @property({type: 'date', required: true, ...column('created_at')})
  createdAt: Date;

  @property({type: 'string', ...column('updated_by')})
  updatedBy?: string | null;

  @property({type: 'date', required: true, ...column('updated_at')})
  updatedAt: Date;

  constructor(data?: Partial<Conversation>) {
    super(data);
  }
}
