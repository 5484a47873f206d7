import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseTarget } from './database-url';
import { MYSQL_CONNECT_TIMEOUT_MS } from './open-sql-client';

/**
 * Creates what the store needs before anything connects: the SQLite folder, or the MySQL
 * database, on the first node of DATABASE_URL that answers and is ready (a Galera node that is
 * not part of a working cluster is passed over). Returns that node's index (0 on SQLite); throws
 * the last node's error when none answers.
 */
export async function ensureDatabaseExists(target: DatabaseTarget): Promise<number> {
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    return 0;
  }
  const { createConnection } = await import('mysql2/promise');
  let lastError: unknown;
  for (const [index, node] of target.nodes.entries()) {
    const url = new URL(node.url);
    url.pathname = '/';
    try {
      const conn = await createConnection({ uri: url.toString(), connectTimeout: MYSQL_CONNECT_TIMEOUT_MS });
      try {
        const [rows] = await conn.query("SHOW STATUS LIKE 'wsrep_ready'");
        const ready = (rows as Array<{ Value: string }>)[0]?.Value;
        const [wsrep] = await conn.query("SHOW VARIABLES LIKE 'wsrep_on'");
        if ((wsrep as Array<{ Value: string }>)[0]?.Value === 'ON' && ready !== 'ON') {
          throw Object.assign(new Error(`database node ${node.label} is not ready (wsrep_ready ${ready ?? 'unknown'})`), {
            errno: 1047,
          });
        }
        await conn.query(`CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
        return index;
      } finally {
        await conn.end().catch(() => undefined);
      }
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
