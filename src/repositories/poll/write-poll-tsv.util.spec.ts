import { PollRow } from '../../common/types/feed-rows.types';
import { PollRows } from './poll-rows';
import { preparePollBatch } from './prepare-poll-batch.util';
import { rowsOfTsv } from './rows-of-tsv.util';
import { writePollTsv } from './write-poll-tsv.util';

const row = (storeId: string, timestampUs: number, active: boolean): PollRow => ({ storeId, timestampUs, active });
const tsvOf = (rows: PollRow[]) => Buffer.from(writePollTsv(preparePollBatch(PollRows.of(rows)))).toString('latin1');

describe('writePollTsv', () => {
  const input = [
    row('b', 30, true),
    row('a', 20, true),
    row('b', 10, false),
    row('a', 20, false),
    row('B', 5, true),
    row('a', 15, true),
  ];

  it('writes the batch as TSV lines in its key order, which read back as its rows', () => {
    const text = tsvOf(input);
    expect(text).toBe('B\t5\t1\na\t15\t1\na\t20\t0\nb\t10\t0\nb\t30\t1\n');
    expect(rowsOfTsv(text)).toEqual([
      row('B', 5, true),
      row('a', 15, true),
      row('a', 20, false),
      row('b', 10, false),
      row('b', 30, true),
    ]);
  });

  it('keeps 19-digit ids as written', () => {
    const id = '18446744073709551615';
    expect(tsvOf([row(id, 1, true)])).toBe(`${id}\t1\t1\n`);
  });

  it.each([
    [0, '0'],
    [1678719600000000, '1678719600000000'],
    [1678719600123456, '1678719600123456'],
    [-1, '-1'],
    [-62135596800000000, '-62135596800000000'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [2 ** 60 + 2 ** 8, String(2 ** 60 + 2 ** 8)], // beyond 2^53: as String() prints it
  ])('writes time %s as %s', (timestampUs, text) => {
    expect(tsvOf([row('s', timestampUs, false)])).toBe(`s\t${text}\t0\n`);
  });

  it('writes into the buffer it is given, of the exact length, and nothing for no rows', () => {
    const into = new ArrayBuffer(64);
    const tsv = writePollTsv(preparePollBatch(PollRows.of([row('s', 7, true)])), { bytes: (n) => new Uint8Array(into, 0, n) });
    expect(tsv.buffer).toBe(into);
    expect(Buffer.from(tsv).toString('latin1')).toBe('s\t7\t1\n');
    expect(writePollTsv(preparePollBatch(new PollRows(1)))).toHaveLength(0);
  });
});
