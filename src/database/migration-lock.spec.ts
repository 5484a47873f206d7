import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { MigrationLock } from './migration-lock';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(TEST_DATABASES)('MigrationLock on %s', (kind) => {
  const t = useTestSql(kind, 'miglock');

  it('lets one holder in at a time; the other waits, told who holds it, and runs after', async () => {
    const events: string[] = [];
    const waited: string[] = [];
    const first = new MigrationLock(t.sql);
    const second = new MigrationLock(t.sql);
    const a = first.around(
      async () => {
        events.push('a in');
        await sleep(400);
        events.push('a out');
      },
      { waitMs: 10_000 },
    );
    await sleep(50);
    const b = second.around(
      async () => {
        events.push('b in');
        events.push('b out');
      },
      { waitMs: 10_000, onWait: (holder) => waited.push(holder) },
    );
    await Promise.all([a, b]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(waited).toEqual([first.owner]);
    expect(await t.sql.rows('SELECT * FROM migration_lock')).toEqual([]);
  });

  it('releases the lock when the work throws', async () => {
    await expect(
      new MigrationLock(t.sql).around(() => Promise.reject(new Error('bad migration')), { waitMs: 1000 }),
    ).rejects.toThrow('bad migration');
    expect(await t.sql.rows('SELECT * FROM migration_lock')).toEqual([]);
  });

  it('takes over a lock whose holder stopped renewing it (a crash), and gives up waiting on a live one', async () => {
    await new MigrationLock(t.sql).around(async () => undefined, { waitMs: 1000 }); // makes the table
    await t.sql.run('INSERT INTO migration_lock (id, owner, expires_at_ms) VALUES (1, ?, ?)', ['crashed', Date.now() - 1]);
    let ran = false;
    await new MigrationLock(t.sql).around(async () => void (ran = true), { waitMs: 1000 });
    expect(ran).toBe(true);

    await t.sql.run('INSERT INTO migration_lock (id, owner, expires_at_ms) VALUES (1, ?, ?)', ['alive', Date.now() + 60_000]);
    await expect(new MigrationLock(t.sql).around(async () => undefined, { waitMs: 300 })).rejects.toThrow(/another instance/);
    await t.sql.run('DELETE FROM migration_lock');
  });
});
