import { PollRow } from '../../common/types/feed-rows.types';
import { storeIdsOf } from './poll-batch.types';
import { PollRows } from './poll-rows';
import { preparePollBatch } from './prepare-poll-batch.util';

const row = (storeId: string, timestampUs: number, active: boolean): PollRow => ({ storeId, timestampUs, active });

/** The rows of a batch, as PollRow objects. */
const rowsOfBatch = (batch: ReturnType<typeof preparePollBatch>) => {
  const { storeRows, timestampUs, active } = batch;
  const rows: PollRow[] = [];
  let k = 0;
  storeIdsOf(batch).forEach((storeId, s) => {
    for (let j = 0; j < storeRows[s]; j++, k++) rows.push(row(storeId, timestampUs[k], active[k] === 1));
  });
  return rows;
};

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
    const batch = preparePollBatch(PollRows.of(input));
    expect(rowsOfBatch(batch)).toEqual([
      row('B', 5, true),
      row('a', 15, true),
      row('a', 20, false),
      row('b', 10, false),
      row('b', 30, true),
    ]);
    expect(batch).toMatchObject({ count: 5, storeIds: 'B\na\nb', repeatedSame: 1, repeatedChanged: 1 });
    expect([...batch.storeRows]).toEqual([1, 2, 2]);
    expect([...batch.latestUs]).toEqual([5, 20, 30]);
  });

  it('keeps 19-digit ids as strings', () => {
    const id = '18446744073709551615';
    expect(storeIdsOf(preparePollBatch(PollRows.of([row(id, 1, true)])))).toEqual([id]);
  });

  it('gives an empty batch for no rows', () => {
    const batch = preparePollBatch(new PollRows(4));
    expect(batch).toMatchObject({ count: 0, storeIds: '' });
    expect(storeIdsOf(batch)).toEqual([]);
  });

  it('orders a store whose rows come out of time order, repeats included, and grows past its capacity', () => {
    const rows = new PollRows(1);
    for (const r of [row('s', 3, true), row('s', 1, true), row('t', 1, false), row('s', 3, false), row('s', 2, true)]) {
      rows.push(r);
    }
    const batch = preparePollBatch(rows);
    expect(rowsOfBatch(batch)).toEqual([row('s', 1, true), row('s', 2, true), row('s', 3, false), row('t', 1, false)]);
    expect(batch).toMatchObject({ repeatedSame: 0, repeatedChanged: 1 });
  });
});
