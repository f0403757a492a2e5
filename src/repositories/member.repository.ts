import {inject} from '@loopback/core';
import {juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {Member} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';

/** CRUD over the component's `Member` table for host code. */
export class MemberRepository extends ChatCrudRepository<Member, string> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(Member, dataSource);
  }
}
