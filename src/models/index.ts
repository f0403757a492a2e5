export * from './attachment-download.model';
export * from './attachment.model';
export * from './chat-event.model';
export * from './conversation.model';
export * from './member.model';
export * from './message.model';
