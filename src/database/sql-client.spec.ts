import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';

describe.each(TEST_DATABASES)('SqlClient on %s', (kind) => {
  const t = useTestSql(kind, 'sqlclient');

  it('answers rows as arrays and as objects, with BIGINT as exact numbers', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?), (?, ?)', ['b', 1678719600123456, 'a', null]);
    expect(await t.sql.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).toEqual([
      ['a', null],
      ['b', 1678719600123456],
    ]);
    expect(await t.sql.objects('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).toEqual([
      { store_id: 'a', last_poll_us: null },
      { store_id: 'b', last_poll_us: 1678719600123456 },
    ]);
  });

  it('counts the rows a statement changed', async () => {
    await t.sql.run('INSERT INTO store (store_id) VALUES (?), (?), (?)', ['a', 'b', 'c']);
    expect((await t.sql.run('DELETE FROM store WHERE store_id <> ?', ['a'])).affectedRows).toBe(2);
  });

  it('counts the rows an UPDATE matched, also when it sets the values they had', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?), (?, ?)', ['a', 5, 'b', 6]);
    expect((await t.sql.run('UPDATE store SET last_poll_us = ? WHERE store_id = ?', [5, 'a'])).affectedRows).toBe(1);
    expect((await t.sql.run('UPDATE store SET last_poll_us = ? WHERE store_id = ?', [5, 'nobody'])).affectedRows).toBe(0);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await t.sql.transaction((tx) => tx.run('INSERT INTO store (store_id) VALUES (?)', ['kept']));
    await expect(
      t.sql.transaction(async (tx) => {
        await tx.run('INSERT INTO store (store_id) VALUES (?)', ['lost']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.sql.rows('SELECT store_id FROM store')).toEqual([['kept']]);
  });

  it('runs transactions started together one after the other, each whole', async () => {
    await Promise.all(
      ['x', 'y', 'z'].map((id) =>
        t.sql.transaction(async (tx) => {
          await tx.run('INSERT INTO store (store_id) VALUES (?)', [id]);
          await tx.run('UPDATE store SET last_poll_us = ? WHERE store_id = ?', [1, id]);
        }),
      ),
    );
    expect(await t.sql.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).toEqual([
      ['x', 1],
      ['y', 1],
      ['z', 1],
    ]);
  });

  it('reads one snapshot: what another connection commits meanwhile is seen only after it', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)', ['a', 1]);
    const seen = await t.sql.snapshot(async (s) => {
      const first = await s.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id');
      await t.sql.run('UPDATE store SET last_poll_us = ?', [2]);
      await t.sql.transaction((tx) => tx.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)', ['b', 3]));
      const second = await s.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id');
      return { first, second };
    });
    expect(seen).toEqual({ first: [['a', 1]], second: [['a', 1]] });
    expect(await t.sql.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('refuses writes in a snapshot, and rejects with what its function threw', async () => {
    // (Matched by message: a better-sqlite3 error from another test file's realm is no `Error` here.)
    await expect(t.sql.snapshot((s) => s.run('INSERT INTO store (store_id) VALUES (?)', ['x']))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/read.?only/i),
    );
    await expect(t.sql.snapshot(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await t.sql.rows('SELECT store_id FROM store')).toEqual([]);
    // The connection went back in a usable state.
    expect(await t.sql.snapshot((s) => s.rows('SELECT COUNT(*) FROM store'))).toEqual([[0]]);
  });

  it('runs snapshots side by side, each on its own moment', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)', ['a', 1]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const older = t.sql.snapshot(async (s) => {
      const first = await s.rows('SELECT last_poll_us FROM store');
      await gate;
      return [first, await s.rows('SELECT last_poll_us FROM store')];
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.sql.run('UPDATE store SET last_poll_us = ?', [2]);
    const newer = await t.sql.snapshot((s) => s.rows('SELECT last_poll_us FROM store'));
    release();
    expect(await older).toEqual([[[1]], [[1]]]);
    expect(newer).toEqual([[2]]);
  });
});
