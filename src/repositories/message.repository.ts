import {Message} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';
import {chatRepository} from './chat-repository';

/** Read-only access to the component's `Message` table for host code (juggler). */
export class MessageRepository extends chatRepository(
  ChatCrudRepository<Message, string>,
  Message,
) {}
