import { rowsOfTsv } from './rows-of-tsv.util';

describe('rowsOfTsv', () => {
  it.each([
    ['', []],
    ['a\t5\t1\n', [{ storeId: 'a', timestampUs: 5, active: true }]],
    [
      '18446744073709551615\t1678719600000000\t0\nb\t7\t1\n',
      [
        { storeId: '18446744073709551615', timestampUs: 1678719600000000, active: false },
        { storeId: 'b', timestampUs: 7, active: true },
      ],
    ],
  ])('%j → %j', (tsv, rows) => {
    expect(rowsOfTsv(tsv)).toEqual(rows);
  });
});
