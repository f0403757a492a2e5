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

// The same read-only classes as the juggler repositories, on
// @loopback/sequelize.

/** Read-only access to the component's `Conversation` table for host code (Sequelize). */
export class ConversationRepository extends chatRepository(
  ChatSequelizeRepository<Conversation, string>,
  Conversation,
) {}

/** Read-only access to the component's `Member` table for host code (Sequelize). */
export class MemberRepository extends chatRepository(
  ChatSequelizeRepository<Member, string>,
  Member,
) {}

/** Read-only access to the component's `Message` table for host code (Sequelize). */
export class MessageRepository extends chatRepository(
  ChatSequelizeRepository<Message, string>,
  Message,
) {}

/** Read-only access to the component's `ChatEvent` table for host code (Sequelize). */
export class EventRepository extends chatRepository(
  ChatSequelizeRepository<ChatEvent, number>,
  ChatEvent,
) {}

/** Read-only access to the component's `Attachment` table for host code (Sequelize). */
export class AttachmentRepository extends chatRepository(
  ChatSequelizeRepository<Attachment, string>,
  Attachment,
) {}

/** Read-only access to the download audit for host code (Sequelize). */
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
