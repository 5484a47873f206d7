/** MySQL's refusals of `LOAD DATA LOCAL INFILE`: 1148 ER_NOT_ALLOWED_COMMAND, 3948 (MySQL 8) and 4166 (MariaDB) local infile disabled. */
const REFUSED = new Set([1148, 3948, 4166]);

/**
 * Whether an error says the server takes no `LOAD DATA LOCAL INFILE` (MySQL 8 ships with
 * `local_infile=OFF`): nothing was loaded, and the same rows can go as INSERTs instead.
 */
export function isLocalInfileRefused(error: unknown): boolean {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && REFUSED.has(errno);
}
