import Database from 'better-sqlite3';
import { RunResult, SqlClient, SqlParams, SqlSession } from './sql-client';

/**
 * Settings of every SQLite handle. WAL lets reports and API reads run while an import writes;
 * bulk imports walk a B-tree of millions of rows, so a 256 MiB page cache and memory-mapped reads
 * keep it off the disk, and fewer, larger WAL checkpoints write each page once.
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
 * SQLite through better-sqlite3: statements are prepared once and cached (a report's SQL varies
 * only with its batch size), and answer synchronously.
 */
export class SqliteClient extends SqlClient {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  private readonly rawStatements = new Map<string, Database.Statement<unknown[]>>();
  /** Transactions one after another: they share the one handle. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Idle read-only handles on the same file, for snapshots (one per snapshot running at once). */
  private readonly readers: SqliteClient[] = [];
  private closed = false;

  constructor(
    /** The handle, for the bulk paths that need prepared statements and synchronous transactions. */
    readonly handle: Database.Database,
    private readonly onClose: () => Promise<void> = async () => void handle.close(),
  ) {
    super();
  }

  async rows<T extends unknown[]>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.prepare(this.rawStatements, sql, true).all(...params) as T[];
  }

  async objects<T extends object>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.prepare(this.statements, sql, false).all(...params) as T[];
  }

  async run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return { affectedRows: this.prepare(this.statements, sql, false).run(...params).changes, info: '' };
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      // IMMEDIATE takes the write lock now (waiting up to busy_timeout), not at the first write.
      this.handle.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(this);
        this.handle.exec('COMMIT');
        return value;
      } catch (error) {
        if (this.handle.inTransaction) this.handle.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * A read transaction (WAL: every read of it sees the one snapshot its first read took) on a
   * read-only handle of its own: the shared handle's other users (writes, reads, transactions)
   * must not end up inside it, and a report yields between its batches.
   */
  async snapshot<T>(fn: (s: SqlSession) => Promise<T>): Promise<T> {
    // An in-memory database cannot be opened twice: there the reads run on this handle.
    if (this.handle.memory) return fn(this);
    const reader = this.readers.pop() ?? this.openReader();
    try {
      reader.handle.exec('BEGIN');
      const value = await fn(reader);
      reader.handle.exec('COMMIT');
      return value;
    } catch (error) {
      if (reader.handle.inTransaction) reader.handle.exec('ROLLBACK');
      throw error;
    } finally {
      if (this.closed) reader.handle.close();
      else this.readers.push(reader);
    }
  }

  override async checkpoint(): Promise<void> {
    // TRUNCATE waits for (busy_timeout) and then blocks writers briefly; a reader holding an older
    // snapshot (a report) makes it stop early, and the next checkpoint finishes the work.
    this.handle.pragma('wal_checkpoint(TRUNCATE)');
  }

  get where(): string {
    return this.handle.name;
  }

  async ping(): Promise<void> {
    this.handle.prepare('SELECT 1').get();
  }

  close(): Promise<void> {
    this.closed = true;
    for (const reader of this.readers.splice(0)) reader.handle.close();
    return this.onClose();
  }

  private openReader(): SqliteClient {
    const handle = new Database(this.handle.name, { readonly: true, fileMustExist: true });
    for (const pragma of SQLITE_PRAGMAS) handle.pragma(pragma);
    return new SqliteClient(handle);
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
