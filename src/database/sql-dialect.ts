import type { Database as SqliteDatabase } from 'better-sqlite3';
import { DataSource } from 'typeorm';

/** True when the DataSource talks to MySQL/MariaDB, false for the embedded SQLite. */
export function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql';
}

/**
 * The better-sqlite3 handle behind TypeORM, for the bulk paths that need prepared statements
 * and synchronous transactions (TypeORM adds a promise and an allocation per statement).
 */
export function sqliteHandle(dataSource: DataSource): SqliteDatabase {
  return (dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
}

/** Runs `fn` in chunks of at most `size` items: keeps multi-row statements under driver limits. */
export async function inChunks<T>(items: readonly T[], size: number, fn: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}
