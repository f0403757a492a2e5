import {Entity, model, property} from '@loopback/repository';
import {MemberRole} from '../types';
import {column, table} from './column';

@model({settings: {...table('chat_members'), strict: true}})
export class Member extends Entity {
  @property({type: 'string', id: true, ...column('id', 'uuid')})
  id: string;

  @property({
    type: 'string',
    required: true,
    ...column('conversation_id', 'uuid'),
  })
  conversationId: string;

  @property({type: 'string', required: true, ...column('tenant_id')})
  tenantId: string;

  @property({type: 'string', required: true, ...column('user_id')})
  userId: string;

  @property({type: 'string', required: true, ...column('role')})
  role: MemberRole;

  @property({type: 'number', required: true, ...column('last_read_seq')})
  lastReadSeq: number;

  @property({type: 'date', required: true, ...column('joined_at')})
  joinedAt: Date;

  @property({type: 'string', ...column('added_by')})
  addedBy?: string | null;

  constructor(data?: Partial<Member>) {
    super(data);
  }
}
