export type {MigrationDialect, MigrationTarget} from './connection';
export * from './runner';
