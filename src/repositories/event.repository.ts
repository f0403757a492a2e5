import {inject} from '@loopback/core';
import {juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {ChatEvent} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';

/** CRUD over the component's `ChatEvent` table for host code. */
export class EventRepository extends ChatCrudRepository<ChatEvent, number> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(ChatEvent, dataSource);
  }
}
