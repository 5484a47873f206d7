import { groupByStore } from './group-by-store.util';

const row = (storeId: string, n: number) => ({ storeId, n });

describe('groupByStore', () => {
  it.each([
    ['no rows', [], []],
    ['one store', [row('A', 1), row('A', 2)], [['A', [1, 2]]]],
    [
      "stores in the order they first appear, each store's rows in file order",
      [row('B', 1), row('A', 2), row('B', 3), row('A', 4), row('C', 5)],
      [
        ['B', [1, 3]],
        ['A', [2, 4]],
        ['C', [5]],
      ],
    ],
    [
      'ids compared as exact strings',
      [row('a', 1), row('A', 2), row('a ', 3)],
      [
        ['a', [1]],
        ['A', [2]],
        ['a ', [3]],
      ],
    ],
  ])('%s', (_name, rows, expected) => {
    const grouped = groupByStore(rows);
    expect([...grouped].map(([id, list]) => [id, list.map((r) => r.n)])).toEqual(expected);
  });
});
