import { seedToInt } from './seed-to-int.util';

describe('seedToInt', () => {
  // Values of the implementation the pinned data sets were made with.
  it.each<[string | number, number]>([
    [1, 873244444],
    ['1', 873244444], // a number seeds as its text: --seed 1 on the CLI is DEFAULT_FEED_OPTIONS' 1
    [7, 839689206],
    [0, 890022063],
    [-1, 348981803],
    ['', 2166136261], // FNV-1a's offset basis
    ['spec', 200722366],
    ['digest', 4179908061],
    ['hello', 1335831723],
  ])('%j → %i', (seed, expected) => {
    expect(seedToInt(seed)).toBe(expected);
  });
});
