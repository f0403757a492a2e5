import {inject} from '@loopback/core';
import {DefaultCrudRepository, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {ChatEvent} from '../models';

/** CRUD over the component's `ChatEvent` table for host code. */
export class EventRepository extends DefaultCrudRepository<ChatEvent, number> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(ChatEvent, dataSource);
  }
}
