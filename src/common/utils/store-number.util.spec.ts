import { storeNumber } from './store-number.util';

describe('storeNumber', () => {
  it.each([
    [['a'], [0], ['a']],
    [
      ['a', 'b', 'a', 'c', 'b'],
      [0, 1, 0, 2, 1],
      ['a', 'b', 'c'],
    ],
    [
      ['18446744073709551615', '1', '18446744073709551615'],
      [0, 1, 0],
      ['18446744073709551615', '1'],
    ],
  ])('numbers %j as %j, keeping the ids %j in the order first seen', (given, numbers, ids) => {
    const dictionary = new Map<string, number>();
    const kept: string[] = [];
    expect(given.map((id) => storeNumber(dictionary, kept, id))).toEqual(numbers);
    expect(kept).toEqual(ids);
    expect([...dictionary]).toEqual(ids.map((id, n) => [id, n]));
  });
});
