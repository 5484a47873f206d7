import { mulberry32 } from './mulberry32.util';

describe('mulberry32', () => {
  // The first outputs of the implementation the seed generator was built with: changing them
  // would change every synthetic data set.
  it.each<[number, [number, number, number]]>([
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]],
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]],
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]],
    [123456789, [0.2577907438389957, 0.9707721115555614, 0.7853280142880976]],
    [0xdeadbeef, [0.9413696140982211, 0.26719574979506433, 0.772033357527107]],
    [2 ** 32 - 1, [0.8964226141106337, 0.189478256739676, 0.7156526781618595]],
    [-1, [0.8964226141106337, 0.189478256739676, 0.7156526781618595]],
  ])('seed %i starts %j', (seed, first) => {
    const next = mulberry32(seed);
    expect([next(), next(), next()]).toEqual(first);
  });

  it.each([0, 7, 2 ** 31])('seed %i gives floats in [0, 1)', (seed) => {
    const next = mulberry32(seed);
    const values = Array.from({ length: 10_000 }, next);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('two generators of one seed are independent of each other', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    a();
    a();
    expect(b()).toBe(mulberry32(5)());
  });
});
