import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
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

type Row = unknown[];
const widened = new WeakSet<object>();
const sqliteStatements = new WeakMap<SqliteDatabase, Map<string, Statement<unknown[]>>>();

/**
 * Runs a SELECT and returns its rows as arrays, the cheapest form for the hot read paths (half
 * the cost of row objects at a million rows): a cached prepared statement in raw mode on
 * SQLite, `rowsAsArray` on a pooled MySQL connection.
 */
export async function selectRows(dataSource: DataSource, sql: string, params: unknown[]): Promise<Row[]> {
  if (!isMysql(dataSource)) {
    const db = sqliteHandle(dataSource);
    let cache = sqliteStatements.get(db);
    if (cache === undefined) sqliteStatements.set(db, (cache = new Map()));
    let statement = cache.get(sql);
    if (statement === undefined) {
      if (cache.size > 64) cache.clear(); // batch sizes vary only at the last batch
      cache.set(sql, (statement = db.prepare<unknown[]>(sql).raw(true)));
    }
    return statement.all(...params) as Row[];
  }
  type Conn = { query(o: object, cb: (e: Error | null, r: Row[]) => void): void; release(): void };
  const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<Conn> };
  const conn = await driver.obtainMasterConnection();
  try {
    if (!widened.has(conn)) {
      // The report reads a store's week as one GROUP_CONCAT string: lift the 1 MiB default.
      await new Promise((resolve, reject) =>
        conn.query({ sql: 'SET SESSION group_concat_max_len = 67108864' }, (e) => (e ? reject(e) : resolve(undefined))),
      );
      widened.add(conn);
    }
    return await new Promise<Row[]>((resolve, reject) =>
      conn.query({ sql, values: params, rowsAsArray: true }, (e, rows) => (e ? reject(e) : resolve(rows))),
    );
  } finally {
    conn.release();
  }
}
