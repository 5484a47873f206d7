import type { DataSource } from 'typeorm';
import { DatabaseTarget } from './database-url';
import { MYSQL_FLAGS, MysqlClient } from './mysql-client';
import { SqlClient } from './sql-client';
import { lockWaitMsFromEnv, MAIN_THREAD_SLICE_MS, openSqliteHandle, SqliteClient } from './sqlite-client';
import { typeormConnectionOf } from './typeorm-connection';

/**
 * The client over a TypeORM connection (the one MySQL server it connected to), for the main
 * thread (typeormConnectionOf reaches into TypeORM's driver). On SQLite the client opens handles of
 * its own on the file TypeORM migrated (a writing one, whose lock waits never hold the event loop,
 * and a read-only one); TypeORM's handle only migrates. Closing the client closes the DataSource.
 */
export function sqlClientOf(dataSource: DataSource): SqlClient {
  const close = () => dataSource.destroy();
  const connection = typeormConnectionOf(dataSource);
  if (connection.kind === 'mysql') return new MysqlClient([{ label: 'typeorm', pool: connection.pool }], close);
  return openMainThreadSqlite(connection.path, close);
}

/**
 * The main thread's client on a SQLite file: a writing handle, whose lock waits never hold the
 * event loop, and a read-only one.
 */
export function openMainThreadSqlite(path: string, onClose?: () => Promise<void>): SqlClient {
  return new SqliteClient(
    openSqliteHandle(path, false),
    { lockWaitMs: lockWaitMsFromEnv(), sliceMs: MAIN_THREAD_SLICE_MS },
    { reader: openSqliteHandle(path, true), onClose, checkpointOffThread: true },
  );
}

export interface OpenOptions {
  /** SQLite: a read-only handle (WAL lets it read while the service writes). */
  readonly?: boolean;
  /** SQLite: a bulk writer's handle (the polls import): a smaller cache, no memory map. */
  bulkWrite?: boolean;
  /** MySQL: connections per server (default 4). */
  connectionLimit?: number;
  /** MySQL: the node to start on (an index into the target's nodes, e.g. the one that answered first). */
  startAt?: number;
  /** MySQL: closed with the client (the TypeORM connection that ran the migrations). */
  alsoClose?: () => Promise<void>;
}

/** How long a MySQL connection attempt may take before the node counts as unreachable. */
export const MYSQL_CONNECT_TIMEOUT_MS = 5000;

/**
 * A bulk writer's SQLite handle (the polls import) appends in key order: it revisits each store's
 * last pages, never reads the table back, so a smaller cache does as well, and it reads nothing
 * through the memory map, whose pages would count in the process's RSS.
 */
const SQLITE_BULK_WRITE_PRAGMAS = ['cache_size = -65536', 'mmap_size = 0'];

/**
 * A client with connections of its own: a SQLite handle, or a mysql2 pool per server of
 * DATABASE_URL (the service's own, and a worker thread's, e.g. the polls import's bulk writer).
 */
export function openSqlClient(target: DatabaseTarget, options: OpenOptions = {}): SqlClient {
  if (target.kind === 'sqlite') {
    const handle = openSqliteHandle(target.path, options.readonly ?? false);
    if (options.bulkWrite) for (const pragma of SQLITE_BULK_WRITE_PRAGMAS) handle.pragma(pragma);
    // A worker thread's: one handle, and no slicing (its event loop serves no request).
    return new SqliteClient(handle);
  }
  // Loaded here, not at the top: a process on SQLite (a CLI command, an import worker) never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createPool } = require('mysql2') as typeof import('mysql2');
  const nodes = target.nodes.map((node) => ({
    label: node.label,
    pool: createPool({
      uri: node.url,
      connectionLimit: options.connectionLimit ?? 4,
      connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      flags: MYSQL_FLAGS,
    }),
  }));
  const close = async () => {
    await Promise.all(nodes.map(({ pool }) => new Promise<void>((resolve) => pool.end(() => resolve()))));
    await options.alsoClose?.();
  };
  return new MysqlClient(nodes, close, options.startAt ?? 0);
}
