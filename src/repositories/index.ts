export * from './chat-crud.repository';
export * from './chat-db';
export * from './conversation.repository';
export * from './event.repository';
export * from './juggler-chat-db';
export * from './member.repository';
export * from './message.repository';
export * from './queries';
