import { hash4 } from './hash4.util';

describe('hash4', () => {
  // Values of the implementation the pinned data sets were made with.
  it.each<[string, number[], number]>([
    ['zeros', [0, 0], 937260802],
    ['first argument 1', [1, 0], 504418101],
    ['second argument 1', [0, 1], 1194536620],
    ['four integers', [1, 2, 3, 4], 2869413589],
    ['c and d default to 0', [1, 2, 3], 3883487656],
    ['explicit d = 0', [1, 2, 3, 0], 3883487656],
    ['a modulo 2^32', [2 ** 32 + 1, 2, 3, 4], 2869413589],
    ['a = -1', [-1, 0], 3227782463],
    ['a = 2^32 - 1, the same as -1', [2 ** 32 - 1, 0], 3227782463],
    ['b = -1', [1, -1, 3, 4], 2309495775],
    ['b = 2^32 - 1, the same as -1', [1, 2 ** 32 - 1, 3, 4], 2309495775],
    ['a negative slot (single polls use -1)', [3, 5, 4, -1], 915262595],
  ])('%s: hash4(%j) = %i', (_name, args, expected) => {
    const [a, b, c, d] = args;
    expect(hash4(a, b, c, d)).toBe(expected);
  });
});
