import {Entity, model, property} from '@loopback/repository';
import {column, table} from './column';

/** One entry of the event log; its id is the `/sync` and SSE cursor. */
@model({settings: {...table('chat_events'), strict: true}})
export class ChatEvent extends Entity {
  @property({type: 'number', id: true, generated: true, ...column('id')})
  id: number;

  @property({type: 'string', required: true, ...column('tenant_id')})
  tenantId: string;

  @property({
    type: 'string',
    required: true,
    ...column('conversation_id', 'uuid'),
  })
  conversationId: string;

  @property({type: 'string', required: true, ...column('type')})
  type: string;

  @property({type: 'string', ...column('actor_id')})
  actorId?: string | null;

  @property({type: 'object', required: true, ...column('payload', 'jsonb')})
  payload: object;

  @property({type: 'date', required: true, ...column('created_at')})
  createdAt: Date;

  constructor(data?: Partial<ChatEvent>) {
    super(data);
  }
}
