import { groupRowsByStore } from './group-rows-by-store.util';

/** Each store's row numbers, as the grouping gives them. */
const rowsOfEachStore = (store: number[], stores: number) => {
  const { first, order } = groupRowsByStore(Int32Array.from(store), stores);
  return Array.from({ length: stores }, (_, s) => [...order.subarray(first[s], first[s + 1])]);
};

describe('groupRowsByStore', () => {
  it.each([
    ['no rows', [], 0, []],
    ['one store', [0, 0, 0], 1, [[0, 1, 2]]],
    ['stores interleaved: each keeps its rows in file order', [1, 0, 1, 2, 0, 1], 3, [[1, 4], [0, 2, 5], [3]]],
    ['a store without rows', [2, 0, 2], 3, [[1], [], [0, 2]]],
    ['rows already grouped', [0, 0, 1, 2, 2], 3, [[0, 1], [2], [3, 4]]],
  ])('%s', (_name, store, stores, expected) => {
    expect(rowsOfEachStore(store, stores)).toEqual(expected);
  });

  it('orders 10,000 rows of 97 stores as a stable sort by store does', () => {
    const store = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 97);
    const sorted = store.map((_, row) => row).sort((a, b) => store[a] - store[b] || a - b);
    expect(rowsOfEachStore(store, 97).flat()).toEqual(sorted);
  });
});
