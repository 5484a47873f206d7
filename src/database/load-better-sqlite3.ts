import type Database from 'better-sqlite3';

/**
 * better-sqlite3's constructor, loaded when first needed: a process or thread on MySQL (every
 * import worker of a MySQL service) never loads its native module and files.
 */
export function loadBetterSqlite3(): typeof Database {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('better-sqlite3') as typeof Database;
}
