import { chunksOf } from './chunks-of.util';

describe('chunksOf', () => {
  it.each([
    ['no items', [], 3, []],
    ['fewer than a chunk', [1, 2], 3, [[1, 2]]],
    ['exactly one chunk', [1, 2, 3], 3, [[1, 2, 3]]],
    ['a last, shorter chunk', [1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    ['chunks of one', [1, 2, 3], 1, [[1], [2], [3]]],
  ])('%s', (_what, items, size, expected) => {
    expect(chunksOf(items, size)).toEqual(expected);
  });
});
