import {Member} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';
import {chatRepository} from './chat-repository';

/** Read-only access to the component's `Member` table for host code (juggler). */
export class MemberRepository extends chatRepository(
  ChatCrudRepository<Member, string>,
  Member,
) {}
