import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { StoreTimezoneRepository } from './store-timezone.repository';

describe.each(TEST_DATABASES)('StoreTimezoneRepository on %s', (kind) => {
  const t = useTestSql(kind, 'zonerepo');
  const zones = () => new StoreTimezoneRepository(t.sql);

  it('inserts zones, replaces a changed one and gives those asked for', async () => {
    await zones().upsert(
      new Map([
        ['A', 'America/Denver'],
        ['B', 'Asia/Kolkata'],
      ]),
    );
    await zones().upsert(
      new Map([
        ['B', 'Europe/London'],
        ['C', 'UTC'],
      ]),
    );
    expect(Object.fromEntries(await zones().zonesOf(['A', 'B', 'C', 'D']))).toEqual({
      A: 'America/Denver',
      B: 'Europe/London',
      C: 'UTC',
    });
    expect((await zones().zonesOf(['C'])).size).toBe(1);
  });

  it('upserts more stores than one statement takes', async () => {
    const many = new Map(Array.from({ length: 2500 }, (_, i) => [`s${i}`, i % 2 ? 'UTC' : 'Asia/Tokyo'] as [string, string]));
    await zones().upsert(many);
    expect(await zones().zonesOf([...many.keys()])).toEqual(many);
  });
});
