import { hoursTsv } from './hours-tsv.util';

describe('hoursTsv', () => {
  const row = (storeId: string, dayOfWeek: number, startSec: number, endSec: number) => ({
    storeId,
    dayOfWeek,
    startSec,
    endSec,
  });

  it.each([
    ['no rows', [], ''],
    ['one row', [row('A', 0, 32400, 61200)], 'A\t0\t32400\t61200\n'],
    [
      'rows in their order, a whole day and one across midnight',
      [row('s-1_x', 6, 0, 86400), row('B', 2, 68400, 9000)],
      's-1_x\t6\t0\t86400\nB\t2\t68400\t9000\n',
    ],
  ])('%s', (_what, rows, text) => {
    expect(hoursTsv(rows).toString('latin1')).toBe(text);
  });
});
