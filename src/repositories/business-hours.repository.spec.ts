import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { createConnection } from 'mysql2/promise';
import { SqlSession } from '../database/sql-client';
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

  (kind === 'mysql' ? it : it.skip)(
    'inserts the rows where the server refuses LOAD DATA LOCAL (a client without local files)',
    async () => {
      // mysql2 without the LOCAL_FILES flag: the server answers LOAD DATA LOCAL with 1148, as one with local_infile=OFF does
      const conn = await createConnection({ uri: t.db.url, flags: ['-LOCAL_FILES'] });
      try {
        const session: SqlSession = {
          dialect: 'mysql',
          rows: () => Promise.reject(new Error('not used')),
          objects: () => Promise.reject(new Error('not used')),
          run: async (sql, params, infile) => {
            const [result] = await conn.query({ sql, values: params as unknown[], infileStreamFactory: infile });
            return { affectedRows: (result as { affectedRows: number }).affectedRows, info: '' };
          },
        };
        const rows = Array.from({ length: 1500 }, (_, i) => row(`r${i}`, i % 7, 3600, 7200));
        await new BusinessHoursRepository(session).insert(rows);
        const schedules = await hours().schedulesOf(rows.map((r) => r.storeId));
        expect(schedules.size).toBe(1500);
        expect(schedules.get('r8')).toEqual([{ dayOfWeek: 1, startSec: 3600, endSec: 7200 }]);
      } finally {
        await conn.end();
      }
    },
  );

  it('takes more rows and stores than one statement does', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(`s${i}`, i % 7, 3600, 7200));
    await hours().insert(rows);
    const ids = rows.map((r) => r.storeId);
    expect((await hours().schedulesOf(ids)).size).toBe(3000);
    await hours().deleteForStores(ids);
    expect((await hours().schedulesOf(ids)).size).toBe(0);
  });
});
