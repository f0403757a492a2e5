import path from 'path';
import {
  isEnabled,
  MigrationConfigError,
  MigrationDialect,
  nonEmpty,
  resolveDialect,
} from './config-checks';
import {urlSource} from './connection';

/** What the package's postinstall step does, decided from the environment. */
export type InstallStep =
  | {kind: 'none'; note?: string}
  | {kind: 'migrate'}
  | {kind: 'copy'; dialect: MigrationDialect; target: string};

/**
 * Folder of the host project that `CHAT_MIGRATION_COPY` copies the
 * migration files into: `<host>/migrations/chat-service`, where `<host>` is
 * the folder `npm install` ran in (npm's `INIT_CWD`), else the current one.
 * It is a db-migrate scope of the host's own `migrations/` folder.
 */
export function copyTarget(env: NodeJS.ProcessEnv = process.env): string {
  // npm runs install scripts in the package's own folder and sets INIT_CWD
  // to the folder `npm install` was started in
  const host = nonEmpty(env.INIT_CWD) ?? process.cwd();
  return path.join(host, 'migrations', 'chat-service');
}

/**
 * The postinstall step for `env`:
 * - `CHAT_MIGRATION_COPY`: copy the migration files (of the database kind
 *   `MYSQL_MIGRATION` / `DATABASE_URL` name) to {@link copyTarget};
 * - `CHAT_MIGRATION`, else `SOURCELOOP_MIGRATION`: apply pending
 *   migrations. An explicit `CHAT_MIGRATION=false` wins over
 *   `SOURCELOOP_MIGRATION` (a host migrating other sourceloop packages can
 *   leave this one out).
 *
 * Contradictions are a {@link MigrationConfigError}: copying and migrating
 * both asked for, a `down` value (the install step never reverts), or a
 * database kind that the variables disagree on.
 */
export function installStep(env: NodeJS.ProcessEnv = process.env): InstallStep {
  const name =
    nonEmpty(env.CHAT_MIGRATION) !== undefined
      ? 'CHAT_MIGRATION'
      : 'SOURCELOOP_MIGRATION';
  const value = env[name];
  if (value && /^\s*(down|reset|revert)\s*$/i.test(value)) {
    throw new MigrationConfigError(
      `${name}=${value.trim()}: the install step only applies migrations; ` +
        `revert with \`npx chat-service-migrate down\` (one migration; ` +
        `a count or --all for more).`,
    );
  }
  const migrate = isEnabled(value);
  const copy = isEnabled(env.CHAT_MIGRATION_COPY);
  if (copy && migrate) {
    throw new MigrationConfigError(
      `CHAT_MIGRATION_COPY and ${name} are both set: the first copies the ` +
        `migration files into your project, the second runs them; set one.`,
    );
  }
  if (copy) {
    const dialect = resolveDialect(undefined, urlSource({}, env), env);
    return {kind: 'copy', dialect, target: copyTarget(env)};
  }
  if (migrate) return {kind: 'migrate'};
  if (name === 'CHAT_MIGRATION' && isEnabled(env.SOURCELOOP_MIGRATION)) {
    return {
      kind: 'none',
      note: `CHAT_MIGRATION=${value} overrides SOURCELOOP_MIGRATION: not migrating.`,
    };
  }
  return {kind: 'none'};
}
