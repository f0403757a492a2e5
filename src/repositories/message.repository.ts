import {inject} from '@loopback/core';
import {juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {Message} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';

/** CRUD over the component's `Message` table for host code. */
export class MessageRepository extends ChatCrudRepository<Message, string> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(Message, dataSource);
  }
}
