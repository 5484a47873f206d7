import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { BusinessHoursRepository } from './business-hours.repository';

describe.each(TEST_DATABASES)('BusinessHoursRepository on %s', (kind) => {
  const t = useTestSql(kind, 'hoursrepo');
  const hours = () => new BusinessHoursRepository(t.sql);
  const row = (storeId: string, dayOfWeek: number, startSec: number, endSec: number) => ({
    storeId,
    dayOfWeek,
    startSec,
    endSec,
  });

  it('stores rows and gives the schedules of the stores asked for only', async () => {
    await hours().insert([row('A', 0, 32400, 61200), row('A', 6, 68400, 9000), row('B', 2, 0, 86400), row('C', 1, 1, 2)]);
    const schedules = await hours().schedulesOf(['A', 'B', 'nobody']);
    expect([...schedules.keys()].sort()).toEqual(['A', 'B']);
    expect(schedules.get('A')!.sort((x, y) => x.dayOfWeek - y.dayOfWeek)).toEqual([
      { dayOfWeek: 0, startSec: 32400, endSec: 61200 },
      { dayOfWeek: 6, startSec: 68400, endSec: 9000 },
    ]);
    expect(schedules.get('B')).toEqual([{ dayOfWeek: 2, startSec: 0, endSec: 86400 }]);
  });

  it('deletes the schedules of the given stores only', async () => {
    await hours().insert([row('A', 0, 1, 2), row('B', 0, 1, 2), row('C', 0, 1, 2)]);
    await hours().deleteForStores(['A', 'C']);
    expect([...(await hours().schedulesOf(['A', 'B', 'C'])).keys()]).toEqual(['B']);
  });

  it('takes more rows and stores than one statement does', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(`s${i}`, i % 7, 3600, 7200));
    await hours().insert(rows);
    const ids = rows.map((r) => r.storeId);
    expect((await hours().schedulesOf(ids)).size).toBe(3000);
    await hours().deleteForStores(ids);
    expect((await hours().schedulesOf(ids)).size).toBe(0);
  });
});
