import {Constructor, Provider} from '@loopback/core';
import {ChatOrm} from '../types';
import {AttachmentDownloadRepository} from './attachment-download.repository';
import {AttachmentRepository} from './attachment.repository';
import {ChatDb} from './chat-db';
import {ConversationRepository} from './conversation.repository';
import {EventRepository} from './event.repository';
import {JugglerChatDbProvider} from './juggler-chat-db';
import {MemberRepository} from './member.repository';
import {MessageRepository} from './message.repository';

/** The classes the component binds for one ORM (same names in each). */
export interface ChatOrmClasses {
  /** Provides `ChatServiceBindings.DATABASE`, what the services query. */
  ChatDbProvider: Constructor<Provider<ChatDb>>;
  ConversationRepository: Constructor<object>;
  MemberRepository: Constructor<object>;
  MessageRepository: Constructor<object>;
  EventRepository: Constructor<object>;
  AttachmentRepository: Constructor<object>;
  AttachmentDownloadRepository: Constructor<object>;
}

/** The juggler repositories (loopback-connector-postgresql / -mysql). */
export const JUGGLER_CLASSES: ChatOrmClasses = {
  ChatDbProvider: JugglerChatDbProvider,
  ConversationRepository,
  MemberRepository,
  MessageRepository,
  EventRepository,
  AttachmentRepository,
  AttachmentDownloadRepository,
};

/**
 * The classes for `orm`. The Sequelize ones (`loopback4-chat-service/sequelize`)
 * are loaded on first use: a juggler host never loads @loopback/sequelize
 * or sequelize.
 */
export function chatOrmClasses(orm: ChatOrm): ChatOrmClasses {
  if (orm !== 'sequelize') return JUGGLER_CLASSES;
  const variant: typeof import('../sequelize') = require('../sequelize');
  return variant.SEQUELIZE_CLASSES;
}
