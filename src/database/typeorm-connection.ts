import type Database from 'better-sqlite3';
import type { Pool } from 'mysql2';
import { DataSource } from 'typeorm';

/** What the SqlClient takes over from an initialised TypeORM DataSource. */
export type TypeormConnection = { kind: 'mysql'; pool: Pool } | { kind: 'sqlite'; path: string };

/**
 * The connection under a TypeORM DataSource: its mysql2 pool, or its SQLite file. TypeORM's
 * drivers do not type these fields, so this is the one place that reaches into them; it fails
 * loudly, not later with an undefined, if a TypeORM upgrade moves them.
 */
export function typeormConnectionOf(dataSource: DataSource): TypeormConnection {
  const driver = dataSource.driver as unknown as { pool?: Pool; databaseConnection?: Database.Database };
  if (dataSource.options.type === 'mysql') {
    if (typeof driver.pool?.getConnection !== 'function')
      throw new Error("TypeORM's MySQL driver has no mysql2 pool (driver.pool)");
    return { kind: 'mysql', pool: driver.pool };
  }
  const path = driver.databaseConnection?.name;
  if (typeof path !== 'string')
    throw new Error("TypeORM's SQLite driver has no better-sqlite3 handle (driver.databaseConnection)");
  return { kind: 'sqlite', path };
}
