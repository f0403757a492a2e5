export * from './auth-errors';
export * from './bearer-token.strategy';
export * from './chat-authentication.strategy';
export * from './jwt-token-verifier.provider';
export * from './local-disk-storage.provider';
export * from './stream-authentication.strategy';
export * from './console-logger.provider';
