import type { Readable } from 'node:stream';

/** The two stores the service runs on. Chosen once, where the client is made (open-sql-client.ts). */
export type Dialect = 'mysql' | 'sqlite';

export type SqlParams = readonly unknown[];

export interface RunResult {
  /** Rows inserted, deleted, or matched by an UPDATE (even when it set the values they had). */
  affectedRows: number;
  /** MySQL's info line (e.g. `Records: 3  Deleted: 0  Skipped: 1  Warnings: 0`); '' on SQLite. */
  info: string;
}

/** One connection's worth of statements: what repositories query through. */
export interface SqlSession {
  readonly dialect: Dialect;
  /** A SELECT's rows as arrays, in the statement's column order (half the cost of objects at a million rows). */
  rows<T extends unknown[] = unknown[]>(sql: string, params?: SqlParams): Promise<T[]>;
  /** A SELECT's rows as objects keyed by column name. */
  objects<T extends object = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * An INSERT, UPDATE, DELETE or DDL statement. MySQL: `infile` gives the rows a `LOAD DATA
   * LOCAL INFILE` reads (made again for each try); SQLite has no such statement.
   */
  run(sql: string, params?: SqlParams, infile?: () => Readable): Promise<RunResult>;
}

/**
 * The one way into the database. It owns the connections (a pool on MySQL, one handle on
 * SQLite); the Nest app builds it over TypeORM's connection, a worker thread opens its own.
 */
export abstract class SqlClient implements SqlSession {
  abstract readonly dialect: Dialect;
  abstract rows<T extends unknown[] = unknown[]>(sql: string, params?: SqlParams): Promise<T[]>;
  abstract objects<T extends object = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  abstract run(sql: string, params?: SqlParams, infile?: () => Readable): Promise<RunResult>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Not re-entrant. */
  abstract transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`'s reads in one read-only transaction on a connection of its own: every read sees
   * the database as it was at one moment, whatever commits meanwhile (a report beside an
   * import). A lost connection loses the snapshot: the caller runs the whole of `fn` again.
   */
  abstract snapshot<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
  /** Where the data is now: the MySQL node in use (`host:port`), or the SQLite file. */
  abstract readonly where: string;

  /**
   * Whether the transactions of several connections write at once (MySQL's row locks), so that
   * one may stay open with its writes while others commit; SQLite has one writer at a time.
   */
  get concurrentWriters(): boolean {
    return this.dialect === 'mysql';
  }

  /** For /health: the kind of database, and on MySQL the node in use (a file path is not shown). */
  describe(): { database: Dialect; node?: string } {
    return this.dialect === 'mysql' ? { database: this.dialect, node: this.where } : { database: this.dialect };
  }
  /** Resolves when the database answers now (no retry: for the readiness check). */
  abstract ping(): Promise<void>;
  /** Closes every connection. */
  abstract close(): Promise<void>;
  /**
   * After bulk writes: SQLite folds its write-ahead log back into the database and truncates it,
   * so that the log stays small whatever was imported; nothing to do on MySQL.
   */
  async checkpoint(): Promise<void> {}

  /** The connected client itself (a lazy client connects here). */
  resolve(): Promise<SqlClient> {
    return Promise.resolve(this);
  }
}
