import {Getter, inject} from '@loopback/core';
import {authenticate} from '@loopback/authentication';
import {
  get,
  param,
  post,
  Request,
  requestBody,
  RequestBodyObject,
  Response,
  RestBindings,
} from '@loopback/rest';
import {SecurityBindings} from '@loopback/security';
import {ChatServiceBindings} from '../keys';
import {CHAT_AUTHENTICATION_STRATEGY} from '../providers';
import {ConversationAccess} from '../domain';
import {AttachmentService} from '../services';
import {ChatUser} from '../types';
import {clientOf, requestedRange, sendContent} from './attachment-http';
import {requireAccess} from './conversation-access.interceptor';
import {ResponseSchemas} from './schemas';
import {
  chatOperation,
  errorResponse,
  jsonResponse,
  readMultipartFile,
} from '../rest';

const attachment = jsonResponse('The attachment', ResponseSchemas.attachment);
const bytes = (description: string) => ({
  description,
  content: {
    'application/octet-stream': {schema: {type: 'string', format: 'binary'}},
  },
});

/** 503 of the routes that use the attachment storage. */
const STORAGE_UNAVAILABLE = errorResponse(
  'STORAGE_UNAVAILABLE: the attachment storage failed; retry after `Retry-After`',
);

/** The upload body: streamed to the storage, never parsed by LoopBack. */
const UPLOAD_BODY: RequestBodyObject = {
  description: 'One file part named `file`.',
  required: true,
  content: {
    'multipart/form-data': {
      'x-parser': 'stream',
      schema: {
        type: 'object',
        properties: {file: {type: 'string', format: 'binary'}},
      },
    },
  },
};

@authenticate(CHAT_AUTHENTICATION_STRATEGY)
export class AttachmentController {
  constructor(
    @inject(ChatServiceBindings.ATTACHMENT_SERVICE)
    private attachments: AttachmentService,
    @inject(SecurityBindings.USER) private user: ChatUser,
    @inject.getter(ChatServiceBindings.CONVERSATION_ACCESS)
    private access: Getter<ConversationAccess>,
  ) {}

  @post(
    '/conversations/{id}/attachments',
    chatOperation('Upload an attachment (multipart, field `file`)', {
      '201': attachment,
      '400': errorResponse('Malformed multipart body'),
      '413': errorResponse('Larger than attachments.maxBytes'),
      '415': errorResponse('A content type that is not allowed'),
      '503': STORAGE_UNAVAILABLE,
    }),
  )
  @requireAccess('member', {conversationId: 'id'})
  async upload(
    @param.path.string('id') id: string,
    @requestBody(UPLOAD_BODY) request: Request,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ) {
    const access = await this.access();
    const result = await readMultipartFile(
      request,
      this.attachments.maxUploadBytes(),
      file => this.attachments.upload(access, file),
    );
    response.status(201);
    return result;
  }

  @get(
    '/attachments/{id}',
    chatOperation("An attachment's metadata", {'200': attachment}),
  )
  async findById(@param.path.string('id') id: string) {
    return this.attachments.get(this.user, id);
  }

  @get(
    '/attachments/{id}/content',
    chatOperation('The bytes of an attachment (Range supported); audited', {
      '200': bytes('The whole file'),
      '206': bytes('The requested range'),
      '410': errorResponse(
        'ATTACHMENT_CONTENT_MISSING: the bytes are gone from the storage',
      ),
      '416': errorResponse('The range is not satisfiable'),
      '503': STORAGE_UNAVAILABLE,
    }),
  )
  async download(
    @param.path.string('id') id: string,
    @inject(RestBindings.Http.REQUEST) request: Request,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<Response> {
    const found = await this.attachments.find(this.user, id);
    const range = requestedRange(request, response, found);
    const download = await this.attachments.download(
      this.user,
      found,
      range,
      clientOf(request),
    );
    const sent = await sendContent(response, found, range, download.content);
    if (sent < download.bytes) {
      await this.attachments.correctBytes(download.id, sent);
    }
    return response;
  }

  @get(
    '/attachments/{id}/downloads',
    chatOperation('The download audit, newest first', {
      '200': jsonResponse('A page of downloads', ResponseSchemas.downloadPage),
    }),
  )
  async downloads(
    @param.path.string('id') id: string,
    @param.query.integer('limit') limit?: number,
    @param.query.string('cursor') cursor?: string,
  ) {
    return this.attachments.listDownloads(this.user, id, {limit, cursor});
  }
}
