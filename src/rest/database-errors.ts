/**
 * What a database error means for the client, whatever threw it: the
 * drivers (pg, mysql2), their pools, or the wrappers Sequelize and the
 * juggler connectors put around them.
 */
export type DatabaseFault =
  /** The database cannot be reached now: a retry later may succeed (503). */
  | {kind: 'unavailable'; reason: string}
  /** A value longer than its column (422); `column` when the driver says. */
  | {kind: 'value-too-long'; column?: string}
  /**
   * Contention the database gave up on: a deadlock victim, a serialization
   * failure, a lock or statement timeout. Nothing was written; a retry
   * soon may succeed (503).
   */
  | {kind: 'busy'; reason: string};

interface DriverError {
  name?: string;
  code?: string | number;
  errno?: number;
  message?: string;
  sqlMessage?: string;
  fatal?: boolean;
  original?: unknown;
  parent?: unknown;
  cause?: unknown;
}

/** Socket-level failures, from Node through pg or mysql2. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** mysql2 and MySQL/MariaDB codes of a lost or refused connection. */
const MYSQL_UNAVAILABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
]);

/** PostgreSQL SQLSTATEs: admin / crash shutdown, cannot connect now, too many connections. */
const PG_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** PostgreSQL SQLSTATEs: deadlock, serialization failure, lock timeout, statement timeout. */
const PG_BUSY_STATES = new Set(['40P01', '40001', '55P03', '57014']);

/** MySQL/MariaDB: deadlock, lock wait timeout. */
const MYSQL_BUSY_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** Sequelize's ConnectionError family (not access denied nor bad settings). */
const SEQUELIZE_UNAVAILABLE = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
]);

/** Messages of pg, pg-pool and mysql2 errors that carry no code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection is closed/i,
  /connection is in closed state/i,
  /Pool is closed/i,
];

/**
 * Classifies `err` (or the driver error it wraps, through `original`,
 * `parent` and `cause`): a connection-class failure, a value too long for
 * its column, or undefined for anything else.
 */
export function classifyDatabaseError(err: unknown): DatabaseFault | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift() as DriverError | undefined;
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const fault = classifyOne(e);
    if (fault) return fault;
    queue.push(e.original, e.parent, e.cause);
  }
  return undefined;
}

function classifyOne(e: DriverError): DatabaseFault | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = String(e.sqlMessage ?? e.message ?? '');
  if (code === '22001') return {kind: 'value-too-long'};
  if (code === 'ER_DATA_TOO_LONG' || e.errno === 1406) {
    const column = /for column '([^']+)'/.exec(message)?.[1];
    return {kind: 'value-too-long', column};
  }
  if (
    code !== undefined &&
    (PG_BUSY_STATES.has(code) || MYSQL_BUSY_CODES.has(code))
  ) {
    return {kind: 'busy', reason: code};
  }
  const unavailable =
    (code !== undefined &&
      (NETWORK_CODES.has(code) ||
        MYSQL_UNAVAILABLE_CODES.has(code) ||
        PG_UNAVAILABLE_STATES.has(code) ||
        /^08[0-9A-Z]{3}$/.test(code))) ||
    SEQUELIZE_UNAVAILABLE.has(e.name ?? '') ||
    // mysql2 marks the errors that end a connection
    e.fatal === true ||
    UNAVAILABLE_MESSAGES.some(pattern => pattern.test(message));
  if (!unavailable) return undefined;
  return {kind: 'unavailable', reason: code ?? e.name ?? message};
}

/** `file_name` → `fileName`: a column as the API names the field. */
export function fieldOfColumn(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
