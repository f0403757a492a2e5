export * from './attachment-http';
export * from './attachment.controller';
export * from './conversation-access.interceptor';
export * from './conversation.controller';
export * from './member.controller';
export * from './message.controller';
export * from './read-state.controller';
export * from './events.controller';
