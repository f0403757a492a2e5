export * from './chat-sequelize.repository';
export * from './repositories';
export * from './sequelize-chat-db';
