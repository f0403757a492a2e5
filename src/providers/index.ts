export * from './auth-errors';
export * from './bearer-token.strategy';
export * from './chat-authentication.strategy';
export * from './chat-error.middleware';
export * from './jwt-token-verifier.provider';
export * from './local-disk-storage.provider';
export * from './chat-spec.enhancer';
export * from './stream-authentication.strategy';
