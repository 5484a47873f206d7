import { PollRow } from '../../common/types/feed-rows.types';
import { preparePollBatch } from './prepare-poll-batch.util';
import { rowsOfTsv } from './rows-of-tsv.util';

const row = (storeId: string, timestampUs: number, active: boolean): PollRow => ({ storeId, timestampUs, active });

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
    const batch = preparePollBatch(input, 'rows');
    expect(batch.rows).toEqual([
      row('B', 5, true),
      row('a', 15, true),
      row('a', 20, false),
      row('b', 10, false),
      row('b', 30, true),
    ]);
    expect(batch).toMatchObject({ count: 5, tsv: '', repeatedSame: 1, repeatedChanged: 1 });
    expect(batch.latest).toEqual([
      ['B', 5],
      ['a', 20],
      ['b', 30],
    ]);
  });

  it('gives the same batch as TSV lines for LOAD DATA, and reads them back', () => {
    const batch = preparePollBatch(input, 'tsv');
    expect(batch.rows).toEqual([]);
    expect(batch.tsv).toBe('B\t5\t1\na\t15\t1\na\t20\t0\nb\t10\t0\nb\t30\t1\n');
    expect(batch.count).toBe(5);
    expect(rowsOfTsv(batch.tsv)).toEqual(preparePollBatch(input, 'rows').rows);
  });

  it('keeps 19-digit ids as strings', () => {
    const id = '18446744073709551615';
    expect(preparePollBatch([row(id, 1, true)], 'tsv').tsv).toBe(`${id}\t1\t1\n`);
  });
});
