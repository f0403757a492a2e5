export * from './access.service';
export * from './attachment-upload';
export * from './upload-meter';
export * from './attachment-views';
export * from './attachment.service';
export type {
  Download,
  DownloadClient,
  DownloadPage,
} from './attachment-records';
export * from './conversation.service';
export * from './file-name';
export * from './member.service';
export * from './message.service';
export * from './read-state.service';
export * from './member-details';
export * from './message-hooks';
export * from './conversation-create';
export * from './schema-check.service';
