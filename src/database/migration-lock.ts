import { randomBytes } from 'node:crypto';
import { SqlClient } from './sql-client';

/** A holder that stopped renewing (a crash) loses the lock after this long. */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 10_000;
const POLL_EVERY_MS = 250;

/**
 * One row in a table of its own, so that of several instances starting together only one runs
 * the migrations, and the others wait for it and then find nothing pending. It works on any
 * MySQL-compatible server and on a Galera cluster (where GET_LOCK is per node): taking it is an
 * INSERT of a fixed primary key, which exactly one node commits (the others get a duplicate key,
 * or a certification conflict, and wait). The table is made with idempotent DDL, safe to run on
 * several nodes at once. The holder renews a lease while it migrates; a lock whose lease ran out
 * (its holder crashed) is taken over.
 */
export class MigrationLock {
  readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private renewTimer?: NodeJS.Timeout;

  constructor(private readonly sql: SqlClient) {}

  /** Runs `fn` holding the lock; waits for it up to `waitMs` (then throws). */
  async around<T>(fn: () => Promise<T>, options: { waitMs: number; onWait?: (holder: string) => void }): Promise<T> {
    await this.acquire(options.waitMs, options.onWait);
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  private async acquire(waitMs: number, onWait?: (holder: string) => void): Promise<void> {
    await this.sql.run(
      `CREATE TABLE IF NOT EXISTS migration_lock (
         id INTEGER NOT NULL PRIMARY KEY,
         owner VARCHAR(64) NOT NULL,
         expires_at_ms BIGINT NOT NULL
       )`,
    );
    const until = Date.now() + waitMs;
    let told = false;
    for (;;) {
      const now = Date.now();
      await this.sql.run('DELETE FROM migration_lock WHERE id = 1 AND expires_at_ms < ?', [now]);
      try {
        await this.sql.run('INSERT INTO migration_lock (id, owner, expires_at_ms) VALUES (1, ?, ?)', [
          this.owner,
          now + LEASE_MS,
        ]);
        break;
      } catch (error) {
        if (!isTaken(error)) throw error;
      }
      if (Date.now() > until)
        throw new Error(`another instance has been migrating the database for over ${Math.round(waitMs / 1000)} s`);
      if (!told) {
        const [holder] = await this.sql.rows<[string]>('SELECT owner FROM migration_lock WHERE id = 1');
        onWait?.(holder?.[0] ?? 'another instance');
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
    this.renewTimer = setInterval(() => {
      this.sql
        .run('UPDATE migration_lock SET expires_at_ms = ? WHERE id = 1 AND owner = ?', [Date.now() + LEASE_MS, this.owner])
        .catch(() => undefined); // a lost renewal is retried in RENEW_EVERY_MS; the lease outlasts several
    }, RENEW_EVERY_MS);
  }

  private async release(): Promise<void> {
    clearInterval(this.renewTimer);
    await this.sql.run('DELETE FROM migration_lock WHERE id = 1 AND owner = ?', [this.owner]);
  }
}

/** A duplicate key (MySQL 1062, SQLite's constraint) or a conflict with the node that took it (Galera 1213). */
function isTaken(error: unknown): boolean {
  const e = error as { errno?: number; code?: string; cause?: { errno?: number } };
  return e.errno === 1062 || e.errno === 1213 || e.cause?.errno === 1213 || String(e.code ?? '').startsWith('SQLITE_CONSTRAINT');
}
