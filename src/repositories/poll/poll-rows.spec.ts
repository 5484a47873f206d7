import { KnownStores } from './known-stores';
import { PollRows } from './poll-rows';

/** Batches filled one after the other through one dictionary, as a parser fills them. */
function batchesOf(known: KnownStores, ...batches: string[][]) {
  return batches.map((ids) => {
    const rows = new PollRows(1, known);
    ids.forEach((storeId, i) => rows.push({ storeId, timestampUs: i, active: i % 2 === 0 }));
    return { storeIds: rows.storeIds, store: Array.from(rows.store.subarray(0, rows.length)) };
  });
}

describe('PollRows over KnownStores', () => {
  it.each([
    {
      case: 'one batch: stores numbered in the order first seen',
      batches: [['b', 'a', 'b', 'c', 'a']],
      expected: [{ storeIds: ['b', 'a', 'c'], store: [0, 1, 0, 2, 1] }],
    },
    {
      case: 'each batch numbers its own stores from 0, whatever the batches before met',
      batches: [
        ['a', 'b', 'c'],
        ['c', 'a', 'c'],
        ['d', 'b'],
      ],
      expected: [
        { storeIds: ['a', 'b', 'c'], store: [0, 1, 2] },
        { storeIds: ['c', 'a'], store: [0, 1, 0] },
        { storeIds: ['d', 'b'], store: [0, 1] },
      ],
    },
    {
      case: 'a batch without rows names no store, and the next is unaffected',
      batches: [['a'], [], ['a', 'b']],
      expected: [
        { storeIds: ['a'], store: [0] },
        { storeIds: [], store: [] },
        { storeIds: ['a', 'b'], store: [0, 1] },
      ],
    },
  ])('$case', ({ batches, expected }) => {
    expect(batchesOf(new KnownStores(), ...batches)).toEqual(expected);
  });

  it('keeps its rows, and numbers the same, after the dictionary started afresh (past 131,072 ids)', () => {
    const known = new KnownStores();
    const many = Array.from({ length: (1 << 17) + 1 }, (_, i) => `s${i}`);
    const [first] = batchesOf(known, many);
    expect(first.storeIds).toHaveLength(many.length);
    expect(first.store[many.length - 1]).toBe(many.length - 1);
    // the next batch starts a new dictionary: its ids are numbered as new, in its own order
    const [second, third] = batchesOf(known, ['s5', 'x', 's5'], ['x', 's0']);
    expect(second).toEqual({ storeIds: ['s5', 'x'], store: [0, 1, 0] });
    expect(third).toEqual({ storeIds: ['x', 's0'], store: [0, 1] });
    expect(first.storeIds[5]).toBe('s5');
  });

  it('carries every value of a row into its columns', () => {
    const rows = new PollRows(1); // grows past its capacity
    rows.push({ storeId: 'a', timestampUs: 1_700_000_000_123_456, active: true });
    rows.push({ storeId: 'b', timestampUs: -5, active: false });
    rows.push({ storeId: 'a', timestampUs: 2 ** 53 + 2, active: false });
    expect(rows.length).toBe(3);
    expect(Array.from(rows.store.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(Array.from(rows.timestampUs.subarray(0, 3))).toEqual([1_700_000_000_123_456, -5, 2 ** 53 + 2]);
    expect(Array.from(rows.active.subarray(0, 3))).toEqual([1, 0, 0]);
  });
});
