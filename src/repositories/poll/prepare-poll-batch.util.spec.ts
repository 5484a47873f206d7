import { PollRow } from '../../common/types/feed-rows.types';
import { storeIdsOf } from './poll-batch.types';
import { PollRows } from './poll-rows';
import { preparePollBatch } from './prepare-poll-batch.util';
import { rowsOfTsv } from './rows-of-tsv.util';

const row = (storeId: string, timestampUs: number, active: boolean): PollRow => ({ storeId, timestampUs, active });

/** The rows of a batch in columns form, as PollRow objects. */
const rowsOfColumns = (batch: ReturnType<typeof preparePollBatch>) => {
  const { storeRows, timestampUs, active } = batch;
  const rows: PollRow[] = [];
  let k = 0;
  storeIdsOf(batch).forEach((storeId, s) => {
    for (let j = 0; j < storeRows[s]; j++, k++) rows.push(row(storeId, timestampUs[k], active[k] === 1));
  });
  return rows;
};
const tsvText = (batch: ReturnType<typeof preparePollBatch>) => Buffer.from(batch.tsv).toString('latin1');

describe('preparePollBatch', () => {
  const input = [
    row('b', 30, true),
    row('a', 20, true),
    row('b', 10, false),
    row('a', 20, false), // repeat of (a, 20), another status: the later row wins
    row('B', 5, true), // 'B' < 'a' < 'b' in plain string order
    row('b', 10, false), // repeat of (b, 10), same status
    row('a', 15, true),
  ];

  it('deduplicates (later row wins), orders by store then time, and counts the repeats', () => {
    const batch = preparePollBatch(PollRows.of(input), 'columns');
    expect(rowsOfColumns(batch)).toEqual([
      row('B', 5, true),
      row('a', 15, true),
      row('a', 20, false),
      row('b', 10, false),
      row('b', 30, true),
    ]);
    expect(batch).toMatchObject({ count: 5, storeIds: 'B\na\nb', repeatedSame: 1, repeatedChanged: 1 });
    expect(batch.tsv).toHaveLength(0);
    expect([...batch.storeRows]).toEqual([1, 2, 2]);
    expect([...batch.latestUs]).toEqual([5, 20, 30]);
  });

  it('gives the same batch as TSV lines for LOAD DATA, and reads them back', () => {
    const batch = preparePollBatch(PollRows.of(input), 'tsv');
    expect(batch.timestampUs).toHaveLength(0);
    expect(tsvText(batch)).toBe('B\t5\t1\na\t15\t1\na\t20\t0\nb\t10\t0\nb\t30\t1\n');
    expect(storeIdsOf(batch)).toEqual(['B', 'a', 'b']);
    expect([...batch.latestUs]).toEqual([5, 20, 30]);
    expect(batch.count).toBe(5);
    expect(rowsOfTsv(tsvText(batch))).toEqual(rowsOfColumns(preparePollBatch(PollRows.of(input), 'columns')));
  });

  it('keeps 19-digit ids as strings', () => {
    const id = '18446744073709551615';
    expect(tsvText(preparePollBatch(PollRows.of([row(id, 1, true)]), 'tsv'))).toBe(`${id}\t1\t1\n`);
  });

  it.each([
    [0, '0'],
    [1678719600000000, '1678719600000000'],
    [1678719600123456, '1678719600123456'],
    [-1, '-1'],
    [-62135596800000000, '-62135596800000000'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [2 ** 60 + 2 ** 8, String(2 ** 60 + 2 ** 8)], // beyond 2^53: as String() prints it
  ])('writes time %s as %s in TSV', (timestampUs, text) => {
    expect(tsvText(preparePollBatch(PollRows.of([row('s', timestampUs, false)]), 'tsv'))).toBe(`s\t${text}\t0\n`);
  });

  it('orders a store whose rows come out of time order, repeats included, and grows past its capacity', () => {
    const rows = new PollRows(1);
    for (const r of [row('s', 3, true), row('s', 1, true), row('t', 1, false), row('s', 3, false), row('s', 2, true)]) {
      rows.push(r);
    }
    const batch = preparePollBatch(rows, 'columns');
    expect(rowsOfColumns(batch)).toEqual([row('s', 1, true), row('s', 2, true), row('s', 3, false), row('t', 1, false)]);
    expect(batch).toMatchObject({ repeatedSame: 0, repeatedChanged: 1 });
  });
});
