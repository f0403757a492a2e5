/**
 * Storage keys the component generates: UUIDs, so never a path nor an
 * object key outside the storage's own prefix.
 */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/;

/**
 * `key` when it is a storage key the component could have made; throws
 * otherwise (a bug, never a client's input).
 */
export function checkedStorageKey(key: string): string {
  if (!SAFE_KEY.test(key)) {
    throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
  }
  return key;
}
