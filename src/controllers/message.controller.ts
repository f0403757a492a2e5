import {Getter, inject} from '@loopback/core';
import {authenticate} from '@loopback/authentication';
import {
  del,
  get,
  param,
  patch,
  post,
  requestBody,
  Response,
  RestBindings,
} from '@loopback/rest';
import {ChatServiceBindings} from '../keys';
import {CHAT_AUTHENTICATION_STRATEGY} from '../providers';
import {ConversationAccess} from '../domain';
import {MessageService, SendMessageInput} from '../services';
import {requireAccess} from './conversation-access.interceptor';
import {RequestSchemas, ResponseSchemas} from './schemas';
import {chatOperation, jsonBody, jsonResponse} from '../rest';

const message = jsonResponse('The message', ResponseSchemas.message);
const seqParam = (name: string, description: string) =>
  param.query.integer(name, {
    description,
    schema: {type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER},
  });

@authenticate(CHAT_AUTHENTICATION_STRATEGY)
export class MessageController {
  constructor(
    @inject(ChatServiceBindings.MESSAGE_SERVICE)
    private messages: MessageService,
    @inject.getter(ChatServiceBindings.CONVERSATION_ACCESS)
    private access: Getter<ConversationAccess>,
  ) {}

  @post(
    '/conversations/{id}/messages',
    chatOperation('Send a message', {
      '201': message,
      '200': jsonResponse(
        'The message first sent with this clientMessageId',
        ResponseSchemas.message,
      ),
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async send(
    @param.path.string('id') id: string,
    @requestBody(jsonBody(RequestSchemas.sendMessage)) input: SendMessageInput,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ) {
    const result = await this.messages.send(await this.access(), input);
    response.status(result.created ? 201 : 200);
    return result.message;
  }

  @get(
    '/conversations/{id}/messages',
    chatOperation('History by seq, ascending', {
      '200': jsonResponse('Messages', ResponseSchemas.messageList),
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async list(
    @param.path.string('id') id: string,
    @seqParam('before', 'The messages just below this seq') before?: number,
    @seqParam('after', 'The messages just above this seq') after?: number,
    @param.query.integer('limit') limit?: number,
  ) {
    const query = {before, after, limit};
    return {items: await this.messages.list(await this.access(), query)};
  }

  @get(
    '/conversations/{id}/messages/{messageId}',
    chatOperation('One message (a tombstone once deleted)', {'200': message}),
  )
  @requireAccess('member', {conversationId: 'id'})
  async findById(
    @param.path.string('id') id: string,
    @param.path.string('messageId') messageId: string,
  ) {
    return this.messages.get(await this.access(), messageId);
  }

  @patch(
    '/conversations/{id}/messages/{messageId}',
    chatOperation("Edit the caller's own message", {'200': message}),
  )
  @requireAccess('member', {conversationId: 'id'})
  async edit(
    @param.path.string('id') id: string,
    @param.path.string('messageId') messageId: string,
    @requestBody(jsonBody(RequestSchemas.editMessage)) input: {body: string},
  ) {
    return this.messages.edit(await this.access(), messageId, input.body);
  }

  @del(
    '/conversations/{id}/messages/{messageId}',
    chatOperation('Delete a message, leaving a tombstone', {
      '204': {description: 'Deleted'},
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async remove(
    @param.path.string('id') id: string,
    @param.path.string('messageId') messageId: string,
  ): Promise<void> {
    await this.messages.remove(await this.access(), messageId);
  }
}
