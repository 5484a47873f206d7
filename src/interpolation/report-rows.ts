import Database from 'better-sqlite3';
import { createPool, PoolConnection } from 'mysql2';
import { DataSource } from 'typeorm';
import { DatabaseTarget } from '../database/database-url';
import { isMysql, sqliteHandle } from '../database/sql-dialect';

/** What the report reads through: SELECTs answered as array rows. */
export interface RowSource {
  readonly kind: 'mysql' | 'sqlite';
  select(sql: string, params: unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/**
 * SQLite: cached prepared statements in raw mode (arrays cost half of row objects at a
 * million rows). A report's SQL varies only with its batch size.
 */
function sqliteRows(db: Database.Database, close: () => Promise<void>): RowSource {
  const statements = new Map<string, Database.Statement<unknown[]>>();
  return {
    kind: 'sqlite',
    async select(sql, params) {
      let statement = statements.get(sql);
      if (statement === undefined) statements.set(sql, (statement = db.prepare<unknown[]>(sql).raw(true)));
      return statement.all(...params) as unknown[][];
    },
    close,
  };
}

/**
 * MySQL: `rowsAsArray` on a pooled connection. Each connection is first allowed long
 * GROUP_CONCAT results: a store's week of polls is one such string (build-report.ts).
 */
function mysqlRows(obtain: () => Promise<PoolConnection>, close: () => Promise<void>): RowSource {
  const widened = new WeakSet<PoolConnection>();
  const query = (conn: PoolConnection, sql: string, values?: unknown[]) =>
    new Promise<unknown[][]>((resolve, reject) =>
      conn.query({ sql, values, rowsAsArray: true }, (e, rows) => (e ? reject(e) : resolve(rows as unknown[][]))),
    );
  return {
    kind: 'mysql',
    async select(sql, params) {
      const conn = await obtain();
      try {
        if (!widened.has(conn)) {
          await query(conn, 'SET SESSION group_concat_max_len = 67108864');
          widened.add(conn);
        }
        return await query(conn, sql, params);
      } finally {
        conn.release();
      }
    },
    close,
  };
}

/** The app's own TypeORM connection (the CLI, and tests running from sources). */
export function dataSourceRows(dataSource: DataSource): RowSource {
  const keepOpen = async () => undefined;
  if (!isMysql(dataSource)) return sqliteRows(sqliteHandle(dataSource), keepOpen);
  const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<PoolConnection> };
  return mysqlRows(() => driver.obtainMasterConnection(), keepOpen);
}

/**
 * A connection of its own, for the report worker thread: a read-only SQLite handle (WAL lets it
 * read while the service writes) or a small mysql2 pool.
 */
export function openRowSource(target: DatabaseTarget): RowSource {
  if (target.kind === 'sqlite') {
    const db = new Database(target.path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -131072');
    db.pragma('mmap_size = 1073741824');
    return sqliteRows(db, async () => void db.close());
  }
  const pool = createPool({ uri: target.url, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: false });
  return mysqlRows(
    () => new Promise((resolve, reject) => pool.getConnection((e, conn) => (e ? reject(e) : resolve(conn)))),
    () => new Promise((resolve) => pool.end(() => resolve())),
  );
}
