import {Row, toDate, toJson} from '../repositories';
import {EphemeralEvent} from '../types';

/**
 * An event as clients receive it, over SSE and from `/sync`: the log
 * position, the type, the conversation, the time, and the type's payload.
 */
export interface ChatEventView {
  id: number | null;
  type: string;
  conversationId: string | null;
  createdAt: Date | string;
  actorId?: string | null;
  [key: string]: unknown;
}

/** A logged event with its tenant, as the hub routes it. */
export interface LoggedEvent {
  tenantId: string;
  view: ChatEventView;
}

export function toLoggedEvent(row: Row): LoggedEvent {
  const payload = toJson(row.payload);
  return {
    tenantId: row.tenant_id as string,
    view: {
      ...(payload as object),
      id: Number(row.id),
      type: row.type as string,
      conversationId: row.conversation_id as string,
      createdAt: toDate(row.created_at)!,
      actorId: (row.actor_id as string | null) ?? null,
    },
  };
}

/** An ephemeral event as clients receive it: no id, no tenant. */
export function toEphemeralView(event: EphemeralEvent): ChatEventView {
  const view: ChatEventView & {tenantId?: string} = {...event, id: null};
  delete view.tenantId;
  return view;
}
