// Packages a host installs only for some choices (a database driver, the
// Sequelize ORM, the migration tooling) are optional peer dependencies of
// this package. They are loaded here, when the choice needs them, so a
// missing one is one clear error instead of "Cannot find module".

/**
 * Loads the optional peer dependency `name`, needed for `neededFor` (such
 * as `"PostgreSQL"` or `"orm: 'sequelize'"`). When it is not installed,
 * throws an error naming the package and the command that installs it;
 * any other error while loading it is thrown as it is.
 */
export function requireOptional<T = unknown>(
  name: string,
  neededFor: string,
): T {
  try {
    return require(name) as T;
  } catch (err) {
    if (isNotFound(err, name)) throw missingPackageError(name, neededFor);
    throw err;
  }
}

/** The error of a missing optional package. */
export function missingPackageError(name: string, neededFor: string): Error {
  const err = new Error(
    `loopback4-chat-service: ${neededFor} needs the package "${name}", ` +
      `which is not installed. Install it in your application: ` +
      `npm install ${name}`,
  );
  return Object.assign(err, {code: 'CHAT_PACKAGE_MISSING', packageName: name});
}

/** True when `name` itself was not found (not one of its own imports). */
function isNotFound(err: unknown, name: string): boolean {
  const {code, message} = (err ?? {}) as {code?: string; message?: string};
  return (
    code === 'MODULE_NOT_FOUND' &&
    typeof message === 'string' &&
    message.startsWith(`Cannot find module '${name}'`)
  );
}
