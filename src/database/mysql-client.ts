import type { Pool, PoolConnection } from 'mysql2';
import type { Readable } from 'node:stream';
import { isConflict, isConnectionError, isNodeNotReady, isRetryable, withRetry } from './retrying';
import { warn } from '../common/warn';
import { RunResult, SqlClient, SqlParams, SqlSession } from './sql-client';

/**
 * Statements every connection runs once before its first use. The report reads a store's week of
 * polls as one GROUP_CONCAT string (the poll repository), far longer than the 1 KiB default.
 */
const SESSION_SETUP = ['SET SESSION group_concat_max_len = 67108864'];

/**
 * More of them on a Galera node (wsrep_on): every read first waits until this node has applied
 * what the cluster had committed when the read began, so that a session sees what any caller
 * wrote through another node before it asked (a report triggered on one node is found at once
 * on another). Writes are not delayed.
 */
const GALERA_SESSION_SETUP = ['SET SESSION wsrep_sync_wait = 1'];

/**
 * LOCAL_FILES: LOAD DATA LOCAL INFILE of the bulk import (the stream is passed per query).
 * FOUND_ROWS: an UPDATE's affectedRows counts the rows it matched, as SQLite's `changes` does,
 * so that a conditional UPDATE that sets a value it already had still says "it was mine".
 */
export const MYSQL_FLAGS = ['+LOCAL_FILES', '+FOUND_ROWS'];

/** A connection taken from the pool; `release()` gives it back. */
export interface MysqlSession extends SqlSession {
  release(): void;
}

/** One server and its pool. */
export interface MysqlPoolNode {
  /** `host:port`. */
  label: string;
  pool: Pool;
}

export interface AcquireOptions {
  /**
   * A session for bulk writes (the poll writer's LOAD DATA). On Galera its autocommit statements
   * are not retried by the server (`wsrep_retry_autocommit = 0`): a server-side retry of
   * `LOAD DATA LOCAL` cannot read the client's file again and breaks the connection (error
   * 1156), where without it the statement fails cleanly (1213) and the client retries.
   */
  forWrites?: boolean;
}

interface ConnectionState {
  /** Index of its node. */
  node: number;
  galera: boolean;
  /** Whether its session is set up for bulk writes (AcquireOptions.forWrites). */
  forWrites: boolean;
}

/**
 * MySQL/MariaDB through mysql2 pools (callback API, the one TypeORM builds), one per server of
 * DATABASE_URL. All work goes to one node at a time, the first reachable one; when a connection
 * to it cannot be made, or it says it is not ready (a Galera node cut off from the cluster), the
 * client moves to the next node and stays there. Reads are retried after a lost connection,
 * statements after a conflict or a node that was not ready; transactions are their callers'
 * to retry (withRetry), since only they know whether the work may run again.
 */
export class MysqlClient extends SqlClient {
  readonly dialect = 'mysql';
  private readonly states = new WeakMap<PoolConnection, ConnectionState>();
  private current: number;
  /**
   * Whether the last attempt to connect found no node reachable (and none has been reached
   * since). Work that begins then tries once and fails at once (503) instead of retrying for
   * seconds; work that began while the database answered still rides out a short outage.
   */
  private unreachable = false;

  constructor(
    private readonly nodes: readonly MysqlPoolNode[],
    private readonly onClose: () => Promise<void>,
    startAt = 0,
  ) {
    super();
    if (nodes.length === 0) throw new Error('MysqlClient needs at least one server');
    this.current = startAt % nodes.length;
  }

  /** The node in use (`host:port`). */
  get where(): string {
    return this.nodes[this.current].label;
  }

  rows<T extends unknown[]>(sql: string, params?: SqlParams): Promise<T[]> {
    return withRetry(() => this.withSession((s) => s.rows<T>(sql, params)), this.readRetry());
  }

  objects<T extends object>(sql: string, params?: SqlParams): Promise<T[]> {
    return withRetry(() => this.withSession((s) => s.objects<T>(sql, params)), this.readRetry());
  }

  /**
   * One statement, run again only when it surely did not take effect: a deadlock or a
   * certification conflict (rolled back), a node that refused it, or no connection at all. A
   * connection lost while it ran is not retried (it may have committed).
   */
  run(sql: string, params?: SqlParams, infile?: () => Readable): Promise<RunResult> {
    const retryLost = !this.unreachable;
    let sent = false;
    return withRetry(
      async () => {
        sent = false;
        const session = await this.acquire();
        try {
          sent = true;
          return await session.run(sql, params, infile);
        } finally {
          session.release();
        }
      },
      {
        what: 'a database statement',
        retryable: (error) => isConflict(error) || (retryLost && (isNodeNotReady(error) || (!sent && isRetryable(error)))),
        onRetry: (m) => warn('Database', m),
      },
    );
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.inTransaction(['START TRANSACTION'], fn);
  }

  /**
   * REPEATABLE READ, and the snapshot taken at START TRANSACTION (not at the first read): every
   * statement of `fn` reads InnoDB's one consistent view. On one connection the statements run
   * one after the other; `fn` may still issue the next ones while it computes (they queue).
   */
  snapshot<T>(fn: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.inTransaction(
      ['SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY'],
      fn,
    );
  }

  /** `fn` on one connection between the `begin` statements and COMMIT (ROLLBACK when it throws). */
  private inTransaction<T>(begin: string[], fn: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.withSession(async (session) => {
      for (const statement of begin) await session.run(statement);
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

  async ping(): Promise<void> {
    const session = await this.acquire();
    try {
      await session.rows('SELECT 1');
    } finally {
      session.release();
    }
  }

  /**
   * A connection of its own, for work that spans statements (temporary tables, LOAD DATA), on
   * the node in use, or the next reachable one.
   */
  async acquire(options: AcquireOptions = {}): Promise<MysqlSession> {
    let lastError: unknown;
    for (let tried = 0; tried < this.nodes.length; tried++) {
      const at = this.current;
      let conn: PoolConnection | undefined;
      try {
        conn = await new Promise<PoolConnection>((resolve, reject) =>
          this.nodes[at].pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
        );
        await this.prepare(conn, at, options.forWrites === true);
        this.unreachable = false;
        return this.sessionOf(conn);
      } catch (error) {
        conn?.destroy();
        if (!isConnectionError(error) && !isNodeNotReady(error)) throw error;
        lastError = error;
        this.moveOn(at, error);
      }
    }
    this.unreachable = true;
    throw lastError;
  }

  close(): Promise<void> {
    return this.onClose();
  }

  /** A read is retried after a lost connection, unless no node was reachable when it began. */
  private readRetry() {
    const retryLost = !this.unreachable;
    return {
      what: 'a database read',
      retryable: (error: unknown) => isConflict(error) || (retryLost && isRetryable(error)),
      onRetry: (m: string) => warn('Database', m),
    };
  }

  private async withSession<T>(fn: (session: MysqlSession) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    try {
      return await fn(session);
    } finally {
      session.release();
    }
  }

  /** Sets a new connection up once (and checks that a Galera node is ready); then only switches its write mode. */
  private async prepare(conn: PoolConnection, node: number, forWrites: boolean): Promise<void> {
    let state = this.states.get(conn);
    if (state === undefined) {
      for (const sql of SESSION_SETUP) await query(conn, { sql });
      const [wsrep] = await query<Array<{ Value: string }>>(conn, { sql: "SHOW VARIABLES LIKE 'wsrep_on'" });
      const galera = wsrep?.Value === 'ON';
      if (galera) {
        const [ready] = await query<Array<{ Value: string }>>(conn, { sql: "SHOW STATUS LIKE 'wsrep_ready'" });
        if (ready?.Value !== 'ON') {
          throw Object.assign(new Error(`database node ${this.nodes[node].label} is not ready (wsrep_ready OFF)`), {
            errno: 1047,
          });
        }
        for (const sql of GALERA_SESSION_SETUP) await query(conn, { sql });
      }
      state = { node, galera, forWrites: false };
      this.states.set(conn, state);
    }
    if (state.galera && state.forWrites !== forWrites) {
      await query(conn, { sql: `SET SESSION wsrep_retry_autocommit = ${forWrites ? 0 : 'DEFAULT'}` });
      state.forWrites = forWrites;
    }
  }

  /** The node `at` is lost or not ready: the next connections go to the next node (if this one is still current). */
  private moveOn(at: number, error: unknown): void {
    if (this.nodes.length === 1 || this.current !== at) return;
    this.current = (at + 1) % this.nodes.length;
    const why = (error as { code?: string })?.code ?? (error as Error)?.message ?? String(error);
    warn('Database', `database node ${this.nodes[at].label} lost (${why}); now using ${this.nodes[this.current].label}`);
  }

  private sessionOf(conn: PoolConnection): MysqlSession {
    const run = <T>(options: QueryOptions) =>
      query<T>(conn, options).catch((error: unknown) => {
        // A node that says it is not ready (cut off from the cluster) is left; the connection too.
        if (isNodeNotReady(error)) {
          this.moveOn(this.states.get(conn)?.node ?? this.current, error);
          conn.destroy();
        }
        throw error;
      });
    return {
      dialect: 'mysql',
      rows: (sql, values) => run({ sql, values, rowsAsArray: true }),
      objects: (sql, values) => run({ sql, values }),
      async run(sql, values, infile) {
        const result = await run<{ affectedRows?: number; info?: string }>({ sql, values, infileStreamFactory: infile });
        return { affectedRows: result.affectedRows ?? 0, info: String(result.info ?? '') };
      },
      release: () => conn.release(),
    };
  }
}

interface QueryOptions {
  sql: string;
  values?: SqlParams;
  rowsAsArray?: boolean;
  infileStreamFactory?: () => Readable;
}

function query<T = unknown>(conn: PoolConnection, options: QueryOptions): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    conn.query({ ...options, values: options.values as unknown[] | undefined }, (error, result) =>
      error ? reject(error) : resolve(result as T),
    ),
  );
}
