import {inject} from '@loopback/core';
import {DefaultCrudRepository, juggler} from '@loopback/repository';
import {ChatServiceBindings} from '../keys';
import {Member} from '../models';

/** CRUD over the component's `Member` table for host code. */
export class MemberRepository extends DefaultCrudRepository<Member, string> {
  constructor(
    @inject(ChatServiceBindings.DATASOURCE) dataSource: juggler.DataSource,
  ) {
    super(Member, dataSource);
  }
}
