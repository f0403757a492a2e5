import {inject} from '@loopback/core';
import {DefaultCrudRepository, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {Message} from '../models';

/** CRUD over the component's `Message` table for host code. */
export class MessageRepository extends DefaultCrudRepository<Message, string> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(Message, dataSource);
  }
}
