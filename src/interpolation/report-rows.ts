import Database from 'better-sqlite3';
import { createPool } from 'mysql2';
import { DataSource } from 'typeorm';
import { DatabaseTarget } from '../database/database-url';
import { isMysql, selectRows } from '../database/sql-dialect';

/** What the report reads through: SELECTs answered as array rows. */
export interface RowSource {
  readonly kind: 'mysql' | 'sqlite';
  select(sql: string, params: unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** The app's own TypeORM connection (the CLI, and tests running from sources). */
export function dataSourceRows(dataSource: DataSource): RowSource {
  return {
    kind: isMysql(dataSource) ? 'mysql' : 'sqlite',
    select: (sql, params) => selectRows(dataSource, sql, params),
    close: async () => undefined,
  };
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
    const statements = new Map<string, Database.Statement<unknown[]>>();
    return {
      kind: 'sqlite',
      async select(sql, params) {
        let statement = statements.get(sql);
        if (statement === undefined) statements.set(sql, (statement = db.prepare<unknown[]>(sql).raw(true)));
        return statement.all(...params) as unknown[][];
      },
      close: async () => void db.close(),
    };
  }
  const pool = createPool({ uri: target.url, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: false });
  // A store's week of polls is one GROUP_CONCAT string (build-report.ts): lift the 1 MiB default.
  pool.on('connection', (conn) => conn.query('SET SESSION group_concat_max_len = 67108864'));
  return {
    kind: 'mysql',
    select: (sql, params) =>
      new Promise((resolve, reject) =>
        pool.query({ sql, values: params, rowsAsArray: true }, (e, rows) => (e ? reject(e) : resolve(rows as unknown[][]))),
      ),
    close: () => new Promise((resolve) => pool.end(() => resolve())),
  };
}
