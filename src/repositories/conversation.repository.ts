import {inject} from '@loopback/core';
import {DefaultCrudRepository, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {Conversation} from '../models';

/** CRUD over the component's `Conversation` table for host code. */
export class ConversationRepository extends DefaultCrudRepository<
  Conversation,
  string
> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(Conversation, dataSource);
  }
}
