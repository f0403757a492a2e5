import {AuthenticationComponent} from '@loopback/authentication';
import {
  Application,
  Binding,
  Component,
  ContextTags,
  CoreBindings,
  inject,
  injectable,
} from '@loopback/core';
import {RestBindings} from '@loopback/rest';
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
import {QuietTrieRouter} from './rest';

/**
 * Adds chat to a LoopBack application: `app.component(ChatServiceComponent)`.
 * Its configuration is `app.configure(ChatServiceBindings.COMPONENT)` (the
 * binding at `ChatServiceBindings.CONFIG`), bound before or after adding
 * it: what depends on it reads it when first resolved. Unless the host
 * bound a router of its own, it binds `QuietTrieRouter` as the REST router.
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
  // juggler or Sequelize, memory or postgres bus: picked by the config
  // when first resolved
  bindings: Binding[] = chatServiceBindings();

  constructor(@inject(CoreBindings.APPLICATION_INSTANCE) app: Application) {
    // the router safe against hostile path ids, unless the host chose one
    // (a router bound after the component replaces this one)
    if (!app.isBound(RestBindings.ROUTER)) {
      this.bindings.push(
        Binding.bind(RestBindings.ROUTER).toClass(QuietTrieRouter),
      );
    }
  }
}
