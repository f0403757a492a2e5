import {ChatEvent} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';
import {chatRepository} from './chat-repository';

/** Read-only access to the component's `ChatEvent` table for host code (juggler). */
export class EventRepository extends chatRepository(
  ChatCrudRepository<ChatEvent, number>,
  ChatEvent,
) {}
