import {inject} from '@loopback/core';
import {juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {Conversation} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';

/** CRUD over the component's `Conversation` table for host code. */
export class ConversationRepository extends ChatCrudRepository<
  Conversation,
  string
> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(Conversation, dataSource);
  }
}
