import Database from 'better-sqlite3';
import { createPool, Pool } from 'mysql2';
import { DataSource } from 'typeorm';
import { DatabaseTarget } from './database-url';
import { MYSQL_FLAGS, MysqlClient } from './mysql-client';
import { SqlClient } from './sql-client';
import { SQLITE_PRAGMAS, SqliteClient } from './sqlite-client';

/**
 * The client over the app's TypeORM connection (which ran the migrations): the one place that
 * reaches into TypeORM's driver. Closing the client closes the DataSource.
 */
export function sqlClientOf(dataSource: DataSource): SqlClient {
  const close = () => dataSource.destroy();
  if (dataSource.options.type === 'mysql') {
    return new MysqlClient((dataSource.driver as unknown as { pool: Pool }).pool, close);
  }
  const handle = (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
  return new SqliteClient(handle, close);
}

/**
 * A client with connections of its own, for a worker thread: a SQLite handle (read-only when
 * asked: WAL lets it read while the service writes) or a small mysql2 pool.
 */
export function openSqlClient(target: DatabaseTarget, options: { readonly?: boolean } = {}): SqlClient {
  if (target.kind === 'sqlite') {
    const handle = new Database(target.path, { readonly: options.readonly ?? false, fileMustExist: true });
    for (const pragma of SQLITE_PRAGMAS) handle.pragma(pragma);
    return new SqliteClient(handle);
  }
  const pool = createPool({
    uri: target.url,
    connectionLimit: 4,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    flags: MYSQL_FLAGS,
  });
  return new MysqlClient(pool, () => new Promise((resolve) => pool.end(() => resolve())));
}
