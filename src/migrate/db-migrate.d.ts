// The part of db-migrate's programmatic API (0.11) the runner uses; the
// package ships no type declarations.
declare module 'db-migrate' {
  /** A migration file db-migrate ran (`name` is the file name sans `.js`). */
  interface DbMigrateMigration {
    name: string;
  }

  type DbMigrateResult = DbMigrateMigration[] | undefined;

  interface DbMigrateInstance {
    silence(isSilent: boolean): boolean;
    /** Applies `count` pending migrations (all when omitted). */
    up(count?: number): Promise<DbMigrateResult>;
    /** Reverts the last `count` applied migrations. */
    down(count: number): Promise<DbMigrateResult>;
    /** Reverts every applied migration. */
    reset(): Promise<DbMigrateResult>;
    /** Connects, creates the migrations table and lists pending migrations. */
    check(): Promise<DbMigrateResult>;
  }

  interface DbMigrateOptions {
    cwd?: string;
    env?: string;
    config?: object | string;
    cmdOptions?: Record<string, unknown>;
    /** Do not install process-wide exit-on-error handlers. */
    throwUncatched?: boolean;
    noPlugins?: boolean;
  }

  export function getInstance(
    isModule: boolean,
    options?: DbMigrateOptions,
  ): DbMigrateInstance;
}
