import {AuthenticationComponent} from '@loopback/authentication';
import {
  Binding,
  Component,
  ContextTags,
  inject,
  injectable,
} from '@loopback/core';
import {chatServiceBindings} from './bindings';
import {
  AttachmentController,
  ConversationController,
  EventsController,
  MemberController,
  MessageController,
  ReadStateController,
} from './controllers';
import {ChatServiceBindings} from './keys';
import {
  Attachment,
  AttachmentDownload,
  ChatEvent,
  Conversation,
  Member,
  Message,
} from './models';
import {ChatServiceConfig, resolveChatServiceConfig} from './types';

/**
 * Adds chat to a LoopBack application: `app.component(ChatServiceComponent)`.
 * Bind `ChatServiceBindings.CONFIG` and the datasource first.
 */
@injectable({tags: {[ContextTags.KEY]: ChatServiceBindings.COMPONENT}})
export class ChatServiceComponent implements Component {
  components = [AuthenticationComponent];
  models = [
    Conversation,
    Member,
    Message,
    ChatEvent,
    Attachment,
    AttachmentDownload,
  ];
  controllers = [
    ConversationController,
    MemberController,
    MessageController,
    ReadStateController,
    EventsController,
    AttachmentController,
  ];
  bindings: Binding[];

  constructor(
    @inject(ChatServiceBindings.CONFIG, {optional: true})
    config: ChatServiceConfig = {},
  ) {
    // juggler or Sequelize, memory or postgres bus: picked by the config
    this.bindings = chatServiceBindings(resolveChatServiceConfig(config));
  }
}
