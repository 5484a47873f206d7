import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DatabaseTarget } from './database-url';

/** Creates what the store needs before TypeORM connects: the SQLite folder, or the MySQL database. */
export async function ensureDatabaseExists(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    return;
  }
  const url = new URL(target.url);
  url.pathname = '/';
  const conn = await createConnection({ uri: url.toString() });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await conn.end();
  }
}
