export * as conversationQueries from './conversation.queries';
export * as eventQueries from './event.queries';
export * as memberQueries from './member.queries';
export * as messageQueries from './message.queries';
export * from './rows';
export * from './views';
export type {ChatEventType} from './event.queries';
export type {ActivityCursor, ConversationPatch} from './conversation.queries';
export type {HistoryPage} from './message.queries';
