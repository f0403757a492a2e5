export {MigrationConfigError} from './config-checks';
export type {MigrationDialect, MigrationTarget} from './connection';
export * from './runner';
