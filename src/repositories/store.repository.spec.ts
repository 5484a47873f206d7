import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { StoreRepository } from './store.repository';

describe.each(TEST_DATABASES)('StoreRepository on %s', (kind) => {
  const t = useTestSql(kind, 'storerepo');
  const stores = () => new StoreRepository(t.sql);

  it('knows no store and no poll in an empty database', async () => {
    expect(await stores().ids()).toEqual([]);
    expect(await stores().latestPollUs()).toBeNull();
  });

  it('registers each store once and lists ids in plain string order, 19-digit ids intact', async () => {
    await stores().register(['b', 'a', '18446744073709551615', 'B']);
    await stores().register(['a', 'c']);
    expect(await stores().ids()).toEqual(['18446744073709551615', 'B', 'a', 'b', 'c']);
  });

  it('registers more stores than one statement takes', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `s${String(i).padStart(5, '0')}`);
    await stores().register(ids);
    expect(await stores().ids()).toEqual(ids);
  });

  it('gives the latest poll of any store', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?), (?, ?), (?, ?)', [
      'a',
      5,
      'b',
      1678719600000001,
      'c',
      null,
    ]);
    expect(await stores().latestPollUs()).toBe(1678719600000001);
  });

  it('reads each store’s latest poll again from poll, adding the stores polled it did not know', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?), (?, ?), (?, ?), (?, ?)', [
      ...['behind', 5, 'ahead', 9, 'none', null, 'unpolled', null],
    ]);
    await t.sql.run(
      'INSERT INTO poll (store_id, timestamp_us, active) VALUES (?, ?, 1), (?, ?, 0), (?, ?, 1), (?, ?, 1), (?, ?, 0)',
      [...['behind', 5, 'behind', 1678719600000001, 'ahead', 7, 'none', 3, 'new', 4]],
    );
    expect(await stores().refreshLatestPolls()).toBeGreaterThan(0);
    expect(await t.sql.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).toEqual([
      ['ahead', 9],
      ['behind', 1678719600000001],
      ['new', 4],
      ['none', 3],
      ['unpolled', null],
    ]);
    expect(await stores().refreshLatestPolls()).toBe(0);
  });

  it('answers the latest poll from the index on last_poll_us, not by reading every store', async () => {
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?), (?, ?)', ['a', 5, 'b', 7]);
    const plan =
      kind === 'mysql'
        ? await t.sql.objects<{ Extra: string }>('EXPLAIN SELECT MAX(last_poll_us) FROM store')
        : await t.sql.objects<{ detail: string }>('EXPLAIN QUERY PLAN SELECT MAX(last_poll_us) FROM store');
    expect(JSON.stringify(plan)).toMatch(
      kind === 'mysql' ? /Select tables optimized away/ : /COVERING INDEX idx_store_last_poll/,
    );
  });

  it('finds one store with its latest poll, 19-digit ids and UUIDs intact, and null for an unknown one', async () => {
    const uuid = 'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099';
    await t.sql.run('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?), (?, ?)', [
      '18446744073709551615',
      1678719600000001,
      uuid,
      null,
    ]);
    expect(await stores().find('18446744073709551615')).toEqual({
      storeId: '18446744073709551615',
      lastPollUs: 1678719600000001,
    });
    expect(await stores().find(uuid)).toEqual({ storeId: uuid, lastPollUs: null });
    expect(await stores().find('18446744073709551614')).toBeNull();
    // The collation is binary: case matters, as in the feeds.
    expect(await stores().find(uuid.toUpperCase())).toBeNull();
  });

  it.each<[string | undefined, number, string[]]>([
    [undefined, 2, ['1000000000000000000', '18446744073709551615']],
    [undefined, 10, ['1000000000000000000', '18446744073709551615', 'B', 'a', 'b-1']],
    ['18446744073709551615', 2, ['B', 'a']],
    ['1', 1, ['1000000000000000000']],
    ['B', 10, ['a', 'b-1']],
    ['b-1', 10, []],
    ['zzz', 10, []],
  ])('pages stores after %j, %i at a time, in plain string order', async (after, limit, expected) => {
    await stores().register(['b-1', 'a', '18446744073709551615', 'B', '1000000000000000000']);
    await t.sql.run('UPDATE store SET last_poll_us = ? WHERE store_id = ?', [1678719600000001, 'a']);
    const page = await stores().page(after, limit);
    expect(page.map((r) => r.storeId)).toEqual(expected);
    for (const r of page) expect(r.lastPollUs).toBe(r.storeId === 'a' ? 1678719600000001 : null);
  });

  it('pages through more stores than one page holds, each once', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `${1000000000000000000n + BigInt(i)}`);
    await stores().register(ids);
    const seen: string[] = [];
    for (let after: string | undefined, page; (page = await stores().page(after, 1000)).length > 0;) {
      seen.push(...page.map((r) => r.storeId));
      after = page[page.length - 1].storeId;
    }
    expect(seen).toEqual(ids);
  });

  it('writes inside a transaction through on(tx)', async () => {
    await expect(
      t.sql.transaction(async (tx) => {
        await stores().on(tx).register(['gone']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await stores().ids()).toEqual([]);
  });
});
