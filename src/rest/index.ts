export * from './chat-error.middleware';
export * from './chat-json-body-parser';
export * from './chat-spec.enhancer';
export * from './database-errors';
export * from './multipart-upload';
export * from './quiet-trie-router';
export * from './spec-helpers';
