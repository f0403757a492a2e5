import {
  Attachment,
  AttachmentDownload,
  ChatEvent,
  Conversation,
  Member,
  Message,
} from '../../models';
import {chatRepository} from '../chat-repository';
import {ChatOrmClasses} from '../orm-classes';
import {ChatSequelizeRepository} from './chat-sequelize.repository';
import {SequelizeChatDbProvider} from './sequelize-chat-db';

// The same classes as the juggler repositories, on @loopback/sequelize.

/** CRUD over the component's `Conversation` table for host code (Sequelize). */
export class ConversationRepository extends chatRepository(
  ChatSequelizeRepository<Conversation, string>,
  Conversation,
) {}

/** CRUD over the component's `Member` table for host code (Sequelize). */
export class MemberRepository extends chatRepository(
  ChatSequelizeRepository<Member, string>,
  Member,
) {}

/** CRUD over the component's `Message` table for host code (Sequelize). */
export class MessageRepository extends chatRepository(
  ChatSequelizeRepository<Message, string>,
  Message,
) {}

/** CRUD over the component's `ChatEvent` table for host code (Sequelize). */
export class EventRepository extends chatRepository(
  ChatSequelizeRepository<ChatEvent, number>,
  ChatEvent,
) {}

/** CRUD over the component's `Attachment` table for host code (Sequelize). */
export class AttachmentRepository extends chatRepository(
  ChatSequelizeRepository<Attachment, string>,
  Attachment,
) {}

/** CRUD over the download audit for host code (Sequelize). */
export class AttachmentDownloadRepository extends chatRepository(
  ChatSequelizeRepository<AttachmentDownload, string>,
  AttachmentDownload,
) {}

/** The Sequelize repositories (@loopback/sequelize). */
export const SEQUELIZE_CLASSES: ChatOrmClasses = {
  ChatDbProvider: SequelizeChatDbProvider,
  ConversationRepository,
  MemberRepository,
  MessageRepository,
  EventRepository,
  AttachmentRepository,
  AttachmentDownloadRepository,
};
