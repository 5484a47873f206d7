import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';

export type DbKind = 'sqlite' | 'mysql';

/**
 * The databases the integration tests run on: both by default (SQLite file and the MariaDB at
 * TEST_MYSQL_URL, default root@127.0.0.1:3306). TEST_DATABASES=sqlite narrows it for a machine
 * without MySQL; CI runs both.
 */
export const TEST_DATABASES: DbKind[] = (process.env.TEST_DATABASES ?? 'sqlite,mysql')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is DbKind => s === 'sqlite' || s === 'mysql');

const MYSQL_SERVER = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/**
 * The start of the name of every MySQL database the tests make (and drop): TEST_DB_PREFIX, so
 * that a shared server can tell them from its own and from another checkout's.
 */
const MYSQL_PREFIX = process.env.TEST_DB_PREFIX ?? 'sm_test_';

/**
 * A fresh, empty database of the kind, unique to this test file and process: a MySQL database
 * named with the process's pid, so that parallel jest workers never share one.
 */
export class TestDatabase {
  readonly url: string;
  private readonly dir?: string;
  private readonly mysqlName?: string;

  constructor(
    readonly kind: DbKind,
    name: string,
  ) {
    if (kind === 'sqlite') {
      this.dir = mkdtempSync(join(tmpdir(), `sm-test-${name}-`));
      this.url = `sqlite:${join(this.dir, 'store-monitor.db')}`;
    } else {
      this.mysqlName = `${MYSQL_PREFIX}${name}_${process.pid}`.replace(/[^A-Za-z0-9_]/g, '_');
      this.url = `${MYSQL_SERVER}/${this.mysqlName}`;
    }
  }

  /** The rows of `table`, asked on a connection of its own (what another process wrote is seen). */
  async countRows(table: string): Promise<number> {
    if (this.dir) {
      const file = new Database(this.url.slice('sqlite:'.length), { readonly: true });
      try {
        return (file.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        file.close();
      }
    }
    const conn = await createConnection({ uri: this.url });
    try {
      const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number((rows as Array<{ n: number }>)[0].n);
    } finally {
      await conn.end();
    }
  }

  /** The rows of a query, as arrays, on a connection of its own (MariaDB only). */
  async rows<T extends unknown[]>(sql: string): Promise<T[]> {
    if (this.dir) throw new Error('TestDatabase.rows: MariaDB only');
    const conn = await createConnection({ uri: this.url, rowsAsArray: true });
    try {
      return (await conn.query(sql))[0] as T[];
    } finally {
      await conn.end();
    }
  }

  /** Drops what the tests made. */
  async drop(): Promise<void> {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    if (this.mysqlName) {
      const conn = await createConnection({ uri: `${MYSQL_SERVER}/` });
      await conn.query(`DROP DATABASE IF EXISTS \`${this.mysqlName}\``);
      await conn.end();
    }
  }
}
