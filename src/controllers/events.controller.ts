import {Getter, inject} from '@loopback/core';
import {authenticate} from '@loopback/authentication';
import {
  get,
  param,
  post,
  requestBody,
  Response,
  RestBindings,
} from '@loopback/rest';
import {SecurityBindings} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {
  CHAT_AUTHENTICATION_STRATEGY,
  CHAT_STREAM_AUTHENTICATION_STRATEGY,
} from '../providers';
import {RealtimeService} from '../realtime';
import {ConversationAccess} from '../domain';
import {ChatUser} from '../types';
import {requireAccess} from './conversation-access.interceptor';
import {RequestSchemas, ResponseSchemas} from './schemas';
import {chatOperation, errorResponse, jsonBody, jsonResponse} from '../rest';

const cursorExpired = errorResponse(
  'CURSOR_EXPIRED: the cursor is older than the retained events; reload, ' +
    'then continue without it',
);

export class EventsController {
  constructor(
    @inject(ChatServiceBindings.REALTIME_SERVICE)
    private realtime: RealtimeService,
    @inject(SecurityBindings.USER) private user: ChatUser,
    @inject.getter(ChatServiceBindings.CONVERSATION_ACCESS)
    private access: Getter<ConversationAccess>,
  ) {}

  @authenticate(CHAT_STREAM_AUTHENTICATION_STRATEGY)
  @get(
    '/events',
    chatOperation('Server-Sent Events of every conversation of the caller', {
      '200': {
        description:
          'An event stream: `id:` is the event id, `event:` its type, `data:` JSON',
        content: {'text/event-stream': {schema: {type: 'string'}}},
      },
      '410': cursorExpired,
      '429': {
        ...errorResponse(
          'The caller has `realtime.maxStreamsPerUser` streams open on this ' +
            'instance (`TOO_MANY_STREAMS`); retry after `Retry-After` seconds',
        ),
        headers: {'Retry-After': {schema: {type: 'integer'}}},
      },
      '503': {
        ...errorResponse(
          'This instance is shutting down (`SHUTTING_DOWN`); open the ' +
            'stream again, on another instance, after `Retry-After` seconds',
        ),
        headers: {'Retry-After': {schema: {type: 'integer'}}},
      },
    }),
  )
  async stream(
    @inject(RestBindings.Http.RESPONSE) response: Response,
    @param.header.string('Last-Event-ID', {
      description: 'Resume after this event id (sent by EventSource itself)',
    })
    lastEventIdHeader?: string,
    @param.query.string('lastEventId', {
      description: 'Resume after this event id, for clients without headers',
    })
    lastEventId?: string,
    @param.query.string('access_token', {
      description:
        'The bearer token, for EventSource, which cannot send headers',
    })
    accessToken?: string,
  ): Promise<Response> {
    await this.realtime.openStream(
      this.user,
      response,
      lastEventIdHeader ?? lastEventId,
    );
    return response;
  }

  @authenticate(CHAT_AUTHENTICATION_STRATEGY)
  @get(
    '/sync',
    chatOperation('The events of the caller as JSON pages', {
      '200': jsonResponse('A page of events', ResponseSchemas.syncPage),
      '410': cursorExpired,
    }),
  )
  async sync(
    @param.query.string('since', {
      description: 'The last event id seen; absent: the oldest retained',
    })
    since?: string,
    @param.query.integer('limit', {description: 'At most 1000; default 100'})
    limit?: number,
  ) {
    return this.realtime.sync(this.user, {since, limit});
  }

  @authenticate(CHAT_AUTHENTICATION_STRATEGY)
  @post(
    '/conversations/{id}/typing',
    chatOperation('Tell the other members you are typing', {
      '204': {description: 'Sent'},
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async typing(
    @param.path.string('id') id: string,
    @requestBody(jsonBody(RequestSchemas.typing)) input: {typing: boolean},
  ): Promise<void> {
    await this.realtime.typing(await this.access(), input.typing);
  }
}
