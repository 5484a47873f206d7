import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { DatabaseUnavailableError } from '../common/errors/domain-errors';
import { SqliteClient } from './sqlite-client';

/** SQLite's one write lock, as the service meets it: another connection (another process) holds it. */
const describeSqlite = TEST_DATABASES.includes('sqlite') ? describe : describe.skip;

describeSqlite('SqliteClient and the write lock', () => {
  const t = useTestSql('sqlite', 'sqlitelock');
  let other: Database.Database;
  const path = () => (t.sql as SqliteClient).where;

  beforeEach(() => {
    other = new Database(path());
  });
  afterEach(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  });

  /**
   * Another connection takes the write lock now and commits after `ms`, from a timer of this
   * process's event loop: a wait for the lock that held the loop would keep it from ever committing.
   */
  const holdLock = (ms: number) => {
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT INTO store (store_id) VALUES (?)').run('other');
    return sleep(ms).then(() => other.exec('COMMIT'));
  };

  it('waits for another connection to commit before it writes, without holding the event loop', async () => {
    const order: string[] = [];
    const committed = holdLock(400).then(() => order.push('other committed'));
    await t.sql.run('INSERT INTO store (store_id) VALUES (?)', ['mine']).then(() => order.push('mine written'));
    await committed;
    expect(order).toEqual(['other committed', 'mine written']);
    expect(await t.sql.rows('SELECT store_id FROM store ORDER BY store_id')).toEqual([['mine'], ['other']]);
  });

  it('starts a transaction with BEGIN IMMEDIATE once the lock is free, without holding the event loop', async () => {
    const order: string[] = [];
    const committed = holdLock(400).then(() => order.push('other committed'));
    const value = await t.sql.transaction(async (tx) => {
      order.push('mine begun');
      // The lock is this transaction's from its start: what it reads, no one changes until it commits.
      const [[n]] = await tx.rows<[number]>('SELECT COUNT(*) FROM store');
      await tx.run('INSERT INTO store (store_id) VALUES (?)', [`after-${n}`]);
      return n;
    });
    await committed;
    expect(order).toEqual(['other committed', 'mine begun']);
    expect(value).toBe(1);
    expect(await t.sql.rows('SELECT store_id FROM store ORDER BY store_id')).toEqual([['after-1'], ['other']]);
  });

  it('gives up after its lock wait with a short 503-style error that names no SQLite internals', async () => {
    const client = new SqliteClient(new Database(path()), { lockWaitMs: 300, sliceMs: 0 });
    let released = false;
    const committed = holdLock(1000).then(() => (released = true));
    try {
      const started = performance.now();
      const failure = await client.run('INSERT INTO store (store_id) VALUES (?)', ['late']).catch((e: unknown) => e);
      const waited = performance.now() - started;
      expect(failure).toBeInstanceOf(DatabaseUnavailableError);
      expect((failure as Error).message).toBe('the database is busy (another process is writing to it): try again shortly');
      // Its own wait, over before the other connection let go.
      expect(waited).toBeGreaterThanOrEqual(290);
      expect(released).toBe(false);
      await expect(client.transaction((tx) => tx.run('DELETE FROM store'))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await committed;
      await client.close();
    }
    expect(await t.sql.rows('SELECT store_id FROM store')).toEqual([['other']]);
  });

  it('reads the last commit while its own transaction is open, and writes after that transaction', async () => {
    await t.sql.run('INSERT INTO store (store_id) VALUES (?)', ['before']);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = t.sql.transaction(async (tx) => {
      await tx.run('INSERT INTO store (store_id) VALUES (?)', ['uncommitted']);
      await released;
      throw new Error('rolled back');
    });
    await sleep(20);
    // Not blocked by the open transaction, and blind to its rows.
    expect(await t.sql.rows('SELECT store_id FROM store')).toEqual([['before']]);
    // A write of its own waits for the transaction, and so is not rolled back with it.
    const write = t.sql.run('INSERT INTO store (store_id) VALUES (?)', ['outside']);
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    await write;
    expect(await t.sql.rows('SELECT store_id FROM store ORDER BY store_id')).toEqual([['before'], ['outside']]);
  });

  it('lets the event loop run between the statements of a long transaction', async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const started = performance.now();
    try {
      await t.sql.transaction(async (tx) => {
        for (let i = 0; i < 3000; i++) await tx.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)', [`s${i}`, i]);
        // Enough synchronous work that it would be one long stall otherwise.
        while (performance.now() - started < 60) await tx.rows('SELECT COUNT(*) FROM store');
      });
    } finally {
      clearInterval(timer);
    }
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(await t.sql.rows('SELECT COUNT(*) FROM store')).toEqual([[3000]]);
  });
});
