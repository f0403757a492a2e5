import {Getter, inject} from '@loopback/core';
import {authenticate} from '@loopback/authentication';
import {
  get,
  param,
  patch,
  post,
  requestBody,
  Response,
  RestBindings,
} from '@loopback/rest';
import {SecurityBindings} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {CHAT_AUTHENTICATION_STRATEGY} from '../providers';
import {ConversationAccess, ConversationPatch} from '../domain';
import {ConversationService, CreateConversationInput} from '../services';
import {ChatUser} from '../types';
import {requireAccess} from './conversation-access.interceptor';
import {RequestSchemas, ResponseSchemas} from './schemas';
import {chatOperation, jsonBody, jsonResponse} from '../rest';

const conversation = jsonResponse(
  'The conversation',
  ResponseSchemas.conversation,
);

@authenticate(CHAT_AUTHENTICATION_STRATEGY)
export class ConversationController {
  constructor(
    @inject(ChatServiceBindings.CONVERSATION_SERVICE)
    private conversations: ConversationService,
    @inject(SecurityBindings.USER) private user: ChatUser,
    @inject.getter(ChatServiceBindings.CONVERSATION_ACCESS)
    private access: Getter<ConversationAccess>,
  ) {}

  @post(
    '/conversations',
    chatOperation('Create a direct or group conversation', {
      '201': conversation,
      '200': jsonResponse(
        'The existing direct conversation',
        ResponseSchemas.conversation,
      ),
    }),
  )
  async create(
    @requestBody(jsonBody(RequestSchemas.createConversation))
    input: CreateConversationInput,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ) {
    const result = await this.conversations.create(this.user, input);
    response.status(result.created ? 201 : 200);
    return result.conversation;
  }

  @get(
    '/conversations',
    chatOperation("The caller's conversations, newest activity first", {
      '200': jsonResponse(
        'A page of conversations',
        ResponseSchemas.conversationPage,
      ),
    }),
  )
  async list(
    @param.query.integer('limit') limit?: number,
    @param.query.string('cursor') cursor?: string,
    @param.query.string('externalId') externalId?: string,
  ) {
    return this.conversations.list(this.user, {limit, cursor, externalId});
  }

  @get(
    '/conversations/{id}',
    chatOperation('One conversation', {'200': conversation}),
  )
  @requireAccess('member', {conversationId: 'id'})
  async findById(@param.path.string('id') id: string) {
    const access = await this.access();
    return this.conversations.get(this.user, access.conversationId);
  }

  @patch(
    '/conversations/{id}',
    chatOperation('Change title, externalId or metadata', {
      '200': conversation,
    }),
  )
  @requireAccess('group-manager', {conversationId: 'id'})
  async update(
    @param.path.string('id') id: string,
    @requestBody(jsonBody(RequestSchemas.updateConversation))
    changes: ConversationPatch,
  ) {
    return this.conversations.update(await this.access(), changes);
  }
}
