import {Conversation} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';
import {chatRepository} from './chat-repository';

/** Read-only access to the component's `Conversation` table for host code (juggler). */
export class ConversationRepository extends chatRepository(
  ChatCrudRepository<Conversation, string>,
  Conversation,
) {}
