import {Getter, inject} from '@loopback/core';
import {authenticate} from '@loopback/authentication';
import {del, get, param, patch, post, requestBody} from '@loopback/rest';
import {ChatServiceBindings} from '../keys';
import {CHAT_AUTHENTICATION_STRATEGY} from '../providers';
import {ConversationAccess} from '../domain';
import {MemberService} from '../services';
import {MemberRole} from '../types';
import {requireAccess} from './conversation-access.interceptor';
import {RequestSchemas, ResponseSchemas} from './schemas';
import {chatOperation, jsonBody, jsonResponse} from '../rest';

const memberList = jsonResponse('The members', ResponseSchemas.memberList);

@authenticate(CHAT_AUTHENTICATION_STRATEGY)
export class MemberController {
  constructor(
    @inject(ChatServiceBindings.MEMBER_SERVICE) private members: MemberService,
    @inject.getter(ChatServiceBindings.CONVERSATION_ACCESS)
    private access: Getter<ConversationAccess>,
  ) {}

  @get(
    '/conversations/{id}/members',
    chatOperation('Members with roles and read positions', {'200': memberList}),
  )
  @requireAccess('member', {conversationId: 'id'})
  async list(@param.path.string('id') id: string) {
    return {items: await this.members.list(await this.access())};
  }

  @post(
    '/conversations/{id}/members',
    chatOperation('Add members to a group', {'200': memberList}),
  )
  @requireAccess('group-manager', {conversationId: 'id'})
  async add(
    @param.path.string('id') id: string,
    @requestBody(jsonBody(RequestSchemas.addMembers))
    input: {userIds: string[]},
  ) {
    return {items: await this.members.add(await this.access(), input.userIds)};
  }

  @patch(
    '/conversations/{id}/members/{userId}',
    chatOperation("Change a member's role", {
      '200': jsonResponse('The member', ResponseSchemas.member),
    }),
  )
  @requireAccess('group-owner', {conversationId: 'id'})
  async changeRole(
    @param.path.string('id') id: string,
    @param.path.string('userId') userId: string,
    @requestBody(jsonBody(RequestSchemas.changeRole)) input: {role: MemberRole},
  ) {
    return this.members.changeRole(await this.access(), userId, input.role);
  }

  @del(
    '/conversations/{id}/members/{userId}',
    chatOperation('Remove a member, or leave', {
      '204': {description: 'Removed'},
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async remove(
    @param.path.string('id') id: string,
    @param.path.string('userId') userId: string,
  ): Promise<void> {
    await this.members.remove(await this.access(), userId);
  }
}
