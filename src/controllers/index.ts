export * from './conversation-access.interceptor';
export * from './conversation.controller';
export * from './member.controller';
export * from './message.controller';
export * from './read-state.controller';
export * from './spec-helpers';
