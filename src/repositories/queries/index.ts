export * as attachmentQueries from './attachment.queries';
export * as conversationQueries from './conversation.queries';
export * as eventQueries from './event.queries';
export * as eventQueueQueries from './event-queue.queries';
export * as memberQueries from './member.queries';
export * as messageQueries from './message.queries';
export * as presenceQueries from './presence.queries';
export * from './rows';
// the views live in the domain (every layer names them); the queries make them
export * from '../../domain/views';
export type {ChatEventType} from './event.queries';
export type {QueuedEvent} from './event-queue.queries';
export type {
  DownloadCursor,
  NewDownload,
  StoredAttachment,
} from './attachment.queries';
export type {ActivityCursor} from './conversation.queries';
export type {HistoryPage, NewMessage} from './message.queries';
export type {PresenceRow} from './presence.queries';
