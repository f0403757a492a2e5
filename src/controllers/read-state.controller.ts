import {Getter, inject} from '@loopback/core';
import {authenticate} from '@loopback/authentication';
import {get, param, post, requestBody} from '@loopback/rest';
import {SecurityBindings} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {CHAT_AUTHENTICATION_STRATEGY} from '../providers';
import {ConversationAccess} from '../domain';
import {MessageService, ReadStateService} from '../services';
import {ChatUser} from '../types';
import {requireAccess} from './conversation-access.interceptor';
import {RequestSchemas, ResponseSchemas} from './schemas';
import {chatOperation, jsonBody, jsonResponse} from '../rest';

@authenticate(CHAT_AUTHENTICATION_STRATEGY)
export class ReadStateController {
  constructor(
    @inject(ChatServiceBindings.READ_STATE_SERVICE)
    private readState: ReadStateService,
    @inject(ChatServiceBindings.MESSAGE_SERVICE)
    private messages: MessageService,
    @inject.getter(ChatServiceBindings.CONVERSATION_ACCESS)
    private access: Getter<ConversationAccess>,
  ) {}

  @post(
    '/conversations/{id}/read',
    chatOperation('Move the read position forward', {
      '200': jsonResponse('The read position', ResponseSchemas.readPosition),
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async markRead(
    @param.path.string('id') id: string,
    @requestBody(jsonBody(RequestSchemas.markRead)) input: {seq: number},
  ) {
    return this.readState.markRead(await this.access(), input.seq);
  }

  @get(
    '/conversations/{id}/messages/{messageId}/receipts',
    chatOperation('Members who have read the message', {
      '200': jsonResponse('Receipts', ResponseSchemas.receipts),
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async receipts(
    @param.path.string('id') id: string,
    @param.path.string('messageId') messageId: string,
  ) {
    const access = await this.access();
    const message = await this.messages.get(access, messageId);
    const items = await this.readState.readers(
      access,
      message.seq,
      message.senderId,
    );
    return {items};
  }

  @get(
    '/unread',
    chatOperation('Unread counts of the caller', {
      '200': jsonResponse('Unread counts', ResponseSchemas.unread),
    }),
  )
  async unread(@inject(SecurityBindings.USER) user: ChatUser) {
    return this.readState.unread(user);
  }
}
