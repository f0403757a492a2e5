export * from './access.service';
export * from './conversation.service';
export * from './member.service';
export * from './message.service';
export * from './paging';
export * from './read-state.service';
