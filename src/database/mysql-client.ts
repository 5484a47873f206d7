import type { Pool, PoolConnection } from 'mysql2';
import type { Readable } from 'node:stream';
import { InfileSession, RunResult, SqlClient, SqlParams, SqlSession } from './sql-client';

/**
 * Statements every connection runs once before its first use. The report reads a store's week of
 * polls as one GROUP_CONCAT string (the poll repository), far longer than the 1 KiB default.
 */
const SESSION_SETUP = ['SET SESSION group_concat_max_len = 67108864'];

/**
 * LOCAL_FILES: LOAD DATA LOCAL INFILE of the bulk import (the stream is passed per query).
 * FOUND_ROWS: an UPDATE's affectedRows counts the rows it matched, as SQLite's `changes` does,
 * so that a conditional UPDATE that sets a value it already had still says "it was mine".
 */
export const MYSQL_FLAGS = ['+LOCAL_FILES', '+FOUND_ROWS'];

/** A connection taken from the pool; `release()` gives it back. */
export interface MysqlSession extends InfileSession {
  release(): void;
}

/** MySQL/MariaDB through a mysql2 pool (callback API, the one TypeORM builds). */
export class MysqlClient extends SqlClient {
  readonly dialect = 'mysql';
  private readonly prepared = new WeakSet<PoolConnection>();

  constructor(
    private readonly pool: Pool,
    private readonly onClose: () => Promise<void>,
  ) {
    super();
  }

  rows<T extends unknown[]>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.withSession((s) => s.rows<T>(sql, params));
  }

  objects<T extends object>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.withSession((s) => s.objects<T>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.withSession((s) => s.run(sql, params));
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.withSession(async (session) => {
      await session.run('START TRANSACTION');
      try {
        const value = await fn(session);
        await session.run('COMMIT');
        return value;
      } catch (error) {
        await session.run('ROLLBACK').catch(() => undefined); // the connection may be gone
        throw error;
      }
    });
  }

  /** A connection of its own, for work that spans statements (temporary tables, LOAD DATA). */
  async acquire(): Promise<MysqlSession> {
    const conn = await new Promise<PoolConnection>((resolve, reject) =>
      this.pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
    );
    const session = sessionOf(conn);
    try {
      if (!this.prepared.has(conn)) {
        for (const sql of SESSION_SETUP) await session.run(sql);
        this.prepared.add(conn);
      }
    } catch (error) {
      conn.release();
      throw error;
    }
    return session;
  }

  close(): Promise<void> {
    return this.onClose();
  }

  private async withSession<T>(fn: (session: MysqlSession) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    try {
      return await fn(session);
    } finally {
      session.release();
    }
  }
}

function sessionOf(conn: PoolConnection): MysqlSession {
  const query = <T>(options: { sql: string; values?: SqlParams; rowsAsArray?: boolean; infileStreamFactory?: () => Readable }) =>
    new Promise<T>((resolve, reject) =>
      conn.query({ ...options, values: options.values as unknown[] | undefined }, (error, result) =>
        error ? reject(error) : resolve(result as T),
      ),
    );
  return {
    dialect: 'mysql',
    rows: (sql, values) => query({ sql, values, rowsAsArray: true }),
    objects: (sql, values) => query({ sql, values }),
    async run(sql, values, infile) {
      const result = await query<{ affectedRows?: number; info?: string }>({ sql, values, infileStreamFactory: infile });
      return { affectedRows: result.affectedRows ?? 0, info: String(result.info ?? '') };
    },
    release: () => conn.release(),
  };
}
