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
