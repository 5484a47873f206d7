import type Database from 'better-sqlite3';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { DatabaseUnavailableError } from '../common/errors/domain-errors';
import { RunResult, SqlClient, SqlParams, SqlSession } from './sql-client';
import { checkpointOffThread } from './sqlite-checkpoint';

/**
 * Settings of every SQLite handle. WAL lets reports and API reads run while an import writes;
 * bulk imports walk a B-tree of millions of rows, so a 256 MiB page cache and memory-mapped reads
 * keep it off the disk, and fewer, larger WAL checkpoints write each page once. busy_timeout is
 * for TypeORM's migrations at start; the client sets its own (SqliteWaits).
 */
export const SQLITE_PRAGMAS = [
  'busy_timeout = 10000',
  'synchronous = NORMAL',
  'cache_size = -262144',
  'mmap_size = 1073741824',
  'wal_autocheckpoint = 20000',
  // A checkpointed log is cut back to this size (64 MiB), not left at its largest.
  'journal_size_limit = 67108864',
  'temp_store = MEMORY',
  'foreign_keys = ON',
];

/**
 * A handle on an existing SQLite file with SQLITE_PRAGMAS. better-sqlite3 is loaded here, when a
 * handle is first opened: a process or thread on MySQL (every import worker of a MySQL service)
 * never loads its native module and files.
 */
export function openSqliteHandle(path: string, readonly: boolean): Database.Database {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const BetterSqlite3 = require('better-sqlite3') as typeof Database;
  const handle = new BetterSqlite3(path, { readonly, fileMustExist: true });
  for (const pragma of SQLITE_PRAGMAS) handle.pragma(pragma);
  return handle;
}

/** How a client waits for SQLite's write lock, which one connection of any process holds at a time. */
export interface SqliteWaits {
  /**
   * In all, how long a write waits for the lock before it fails with a 503 "the database is busy"
   * (DB_LOCK_WAIT_S). It tries every few milliseconds, asynchronously: better-sqlite3 answers
   * synchronously, so SQLite's own busy_timeout would hold the thread's event loop while it waits.
   */
  lockWaitMs: number;
  /**
   * The main thread's: after this much synchronous database work in one turn of the event loop,
   * the next statement lets the loop run first (a long transaction then serves requests between
   * its statements). 0: never (a worker thread).
   */
  sliceMs: number;
}

const DEFAULT_LOCK_WAIT_S = 30;

/** DB_LOCK_WAIT_S, in ms. */
export function lockWaitMsFromEnv(): number {
  const seconds = Number(process.env.DB_LOCK_WAIT_S);
  return (process.env.DB_LOCK_WAIT_S && Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_LOCK_WAIT_S) * 1000;
}

/** A turn of the main thread's event loop spends at most about this long in statements before it yields. */
export const MAIN_THREAD_SLICE_MS = 8;

/**
 * Waits between tries for the lock: from 1 ms, doubling to 8 ms, with jitter. A bulk writer
 * (SqlitePollWriter) leaves the lock free for WRITER_COURTESY_MS between its transactions, longer
 * than the longest wait here, so that a writer waiting for the lock is not starved by it.
 */
const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 8;
export const WRITER_COURTESY_MS = 20;

/**
 * The main thread's handle never checkpoints: after its writes, a PASSIVE checkpoint runs on a
 * thread of its own at most this often (a bulk writer's handle checkpoints as it commits).
 */
const PASSIVE_CHECKPOINT_EVERY_MS = 60_000;

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT']);

/** SQLite could not take a lock now (another connection writes, or holds the log): trying again can succeed. */
export function isSqliteBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && BUSY_CODES.has(String((error as { code?: unknown }).code));
}

/** What a write that waited for the lock until DB_LOCK_WAIT_S says: short, no internals, retryable (503). */
export function databaseBusy(cause?: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError('the database is busy (another process is writing to it): try again shortly', { cause });
}

/** Prepared statements of one handle, cached: a report's SQL varies only with its batch size. */
class Statements {
  private readonly objectStatements = new Map<string, Database.Statement<unknown[]>>();
  private readonly rawStatements = new Map<string, Database.Statement<unknown[]>>();

  constructor(readonly handle: Database.Database) {}

  rows<T>(sql: string, params: SqlParams): T[] {
    return this.prepare(this.rawStatements, sql, true).all(...params) as T[];
  }

  objects<T>(sql: string, params: SqlParams): T[] {
    return this.prepare(this.objectStatements, sql, false).all(...params) as T[];
  }

  run(sql: string, params: SqlParams): RunResult {
    return { affectedRows: this.prepare(this.objectStatements, sql, false).run(...params).changes, info: '' };
  }

  private prepare(cache: Map<string, Database.Statement<unknown[]>>, sql: string, raw: boolean) {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = this.handle.prepare<unknown[]>(sql);
      // raw() is only for statements that return rows
      if (raw) statement.raw(true);
      cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * SQLite through better-sqlite3, which answers synchronously. Every write transaction starts with
 * BEGIN IMMEDIATE: it takes the write lock before it reads, so it never has to upgrade a read
 * snapshot that another process's commit made stale (SQLITE_BUSY_SNAPSHOT). The lock is waited
 * for without blocking the thread (SqliteWaits), and writes of this client run one after another
 * (they share one handle). On the main thread the client has a second, read-only handle: reads
 * outside a transaction see the last commit, never wait for a transaction of this client, and
 * never see its uncommitted rows.
 */
export class SqliteClient extends SqlClient {
  readonly dialect = 'sqlite';
  private readonly writes: Statements;
  private readonly reads: Statements;
  /** Write transactions and statements one after another: they share the one handle. */
  private queue: Promise<unknown> = Promise.resolve();
  /** When the current turn of the event loop started running statements (-1: it has not). */
  private sliceStart = -1;
  private checkpointedAt = Date.now();
  private checkpointing: Promise<void> | null = null;
  /** Idle read-only clients on the same file, for snapshots (one per snapshot running at once). */
  private readonly snapshotReaders: SqliteClient[] = [];
  private closed = false;

  constructor(
    /** The writing handle, for the bulk path that needs prepared statements (SqlitePollWriter, through `exclusive`). */
    readonly handle: Database.Database,
    /** A worker thread's by default. */
    private readonly waits: SqliteWaits = { lockWaitMs: lockWaitMsFromEnv(), sliceMs: 0 },
    private readonly options: {
      /** A read-only handle on the same file for reads outside transactions (the main thread's). */
      reader?: Database.Database;
      /** Closes what the client was built over (TypeORM's connection), after its own handles. */
      onClose?: () => Promise<void>;
      /** This client's writing handle never checkpoints the log; checkpoints run on a thread of their own. */
      checkpointOffThread?: boolean;
    } = {},
  ) {
    super();
    // Each try for a lock answers at once; waiting is this client's (retryWhileBusy()).
    handle.pragma('busy_timeout = 0');
    options.reader?.pragma('busy_timeout = 0');
    if (options.checkpointOffThread) handle.pragma('wal_autocheckpoint = 0');
    this.writes = new Statements(handle);
    this.reads = options.reader ? new Statements(options.reader) : this.writes;
  }

  async rows<T extends unknown[]>(sql: string, params: SqlParams = []): Promise<T[]> {
    await this.yieldIfSliceSpent();
    return this.retryWhileBusy(() => this.reads.rows<T>(sql, params));
  }

  async objects<T extends object>(sql: string, params: SqlParams = []): Promise<T[]> {
    await this.yieldIfSliceSpent();
    return this.retryWhileBusy(() => this.reads.objects<T>(sql, params));
  }

  /** A statement of its own (autocommit), after the transactions before it. */
  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return this.serially(async () => {
      await this.yieldIfSliceSpent();
      const result = await this.retryWhileBusy(() => this.writes.run(sql, params));
      this.afterWrite();
      return result;
    });
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.serially(async () => {
      await this.begin();
      const tx = new SqliteTransaction(this.writes, () => this.yieldIfSliceSpent());
      try {
        return await committed(this.handle, () => fn(tx));
      } finally {
        tx.close();
        this.afterWrite();
      }
    });
  }

  /**
   * Runs `fn` synchronously in one write transaction on the writing handle (a bulk writer's batch
   * of prepared statements), once the lock is taken; in turn with this client's other writes.
   */
  exclusive<T>(fn: (handle: Database.Database) => T): Promise<T> {
    return this.serially(async () => {
      await this.begin();
      try {
        return await committed(this.handle, () => fn(this.handle));
      } finally {
        this.afterWrite();
      }
    });
  }

  /**
   * A read transaction (WAL: every read of it sees the one snapshot its first read took) on a
   * read-only handle of its own: this client's other users (writes, reads, transactions) must not
   * end up inside it, and a report yields between its batches.
   */
  async snapshot<T>(fn: (s: SqlSession) => Promise<T>): Promise<T> {
    // An in-memory database cannot be opened twice: there the reads run on this client.
    if (this.handle.memory) return fn(this);
    const reader = this.snapshotReaders.pop() ?? this.openSnapshotReader();
    try {
      reader.handle.exec('BEGIN');
      return await committed(reader.handle, () => fn(reader));
    } finally {
      if (this.closed) reader.handle.close();
      else this.snapshotReaders.push(reader);
    }
  }

  override async checkpoint(): Promise<void> {
    if (!this.options.checkpointOffThread) {
      // A worker's handle: TRUNCATE copies the log into the database and empties it. It waits for
      // no one (a reader holding an older snapshot makes it stop early; the next one finishes).
      this.handle.pragma('wal_checkpoint(TRUNCATE)');
      return;
    }
    // On the main thread, copying a log of up to 80 MiB would stall the event loop for a while.
    await this.checkpointing?.catch(() => undefined);
    return this.offThread(true);
  }

  get where(): string {
    return this.handle.name;
  }

  async ping(): Promise<void> {
    this.reads.handle.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const reader of this.snapshotReaders.splice(0)) reader.handle.close();
    await this.queue;
    await this.checkpointing?.catch(() => undefined);
    this.options.reader?.close();
    this.handle.close();
    await this.options.onClose?.();
  }

  /** A read-only client (a worker thread's waits: no slicing) on this client's file. */
  private openSnapshotReader(): SqliteClient {
    return new SqliteClient(openSqliteHandle(this.handle.name, true), { lockWaitMs: this.waits.lockWaitMs, sliceMs: 0 });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** BEGIN IMMEDIATE: the write lock now, before anything is read. */
  private begin(): Promise<void> {
    return this.retryWhileBusy(() => void this.handle.exec('BEGIN IMMEDIATE'));
  }

  /**
   * Runs `attempt`, again after SQLITE_BUSY (nothing was done: the statement could not take its
   * lock) every few ms, without holding the event loop between tries, until DB_LOCK_WAIT_S.
   */
  private async retryWhileBusy<T>(attempt: () => T): Promise<T> {
    let until = 0;
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(MAX_RETRY_MS, delay * 2)) {
      try {
        return attempt();
      } catch (error) {
        if (!isSqliteBusy(error)) throw error;
        until ||= performance.now() + this.waits.lockWaitMs;
        if (performance.now() >= until) throw databaseBusy(error);
      }
      await sleep(delay * (0.5 + Math.random() / 2));
      this.sliceStart = -1;
    }
  }

  /**
   * On the main thread, lets the event loop run before this statement when the statements of this
   * turn have already taken MAIN_THREAD_SLICE_MS.
   */
  private async yieldIfSliceSpent(): Promise<void> {
    if (this.waits.sliceMs <= 0) return;
    if (this.sliceStart >= 0 && performance.now() - this.sliceStart >= this.waits.sliceMs) {
      await nextTurn();
      this.sliceStart = -1;
    }
    if (this.sliceStart < 0) {
      this.sliceStart = performance.now();
      // The next turn starts afresh.
      setImmediate(() => (this.sliceStart = -1));
    }
  }

  /** After a write of the main thread's handle: a PASSIVE checkpoint off the thread, at most every minute. */
  private afterWrite(): void {
    if (!this.options.checkpointOffThread || this.checkpointing !== null) return;
    if (Date.now() - this.checkpointedAt < PASSIVE_CHECKPOINT_EVERY_MS) return;
    void this.offThread(false).catch(() => undefined);
  }

  private offThread(truncate: boolean): Promise<void> {
    this.checkpointedAt = Date.now();
    const running = checkpointOffThread(this.handle.name, truncate).finally(() => {
      if (this.checkpointing === running) this.checkpointing = null;
    });
    this.checkpointing = running;
    return running;
  }
}

/** The session of one open transaction: its statements run on the writing handle, which holds the lock. */
class SqliteTransaction implements SqlSession {
  readonly dialect = 'sqlite';
  private open = true;

  constructor(
    private readonly statements: Statements,
    private readonly yieldIfSliceSpent: () => Promise<void>,
  ) {}

  async rows<T extends unknown[]>(sql: string, params: SqlParams = []): Promise<T[]> {
    await this.ready();
    return this.statements.rows<T>(sql, params);
  }

  async objects<T extends object>(sql: string, params: SqlParams = []): Promise<T[]> {
    await this.ready();
    return this.statements.objects<T>(sql, params);
  }

  async run(sql: string, params: SqlParams = []): Promise<RunResult> {
    await this.ready();
    return this.statements.run(sql, params);
  }

  close(): void {
    this.open = false;
  }

  private async ready(): Promise<void> {
    await this.yieldIfSliceSpent();
    // A statement left behind by the transaction's function (not awaited) must not run outside it.
    if (!this.open) throw new Error('the transaction has ended');
  }
}

/**
 * Ends the transaction open on `handle` around `fn`: COMMIT after it, ROLLBACK when it throws (if
 * SQLite has not rolled back already). A synchronous `fn` commits in the same tick, with nothing
 * else run on the handle in between.
 */
async function committed<T>(handle: Database.Database, fn: () => T | Promise<T>): Promise<T> {
  try {
    const result = fn();
    const value = result instanceof Promise ? await result : result;
    handle.exec('COMMIT');
    return value;
  } catch (error) {
    if (handle.inTransaction) handle.exec('ROLLBACK');
    throw error;
  }
}
