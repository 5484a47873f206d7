import { jsonDepth } from './json-depth.util';

describe('jsonDepth', () => {
  it.each([
    ['', 0],
    ['null', 0],
    ['"a[{"', 0],
    ['{}', 1],
    ['{"as_of":"2023-03-13T15:00:00Z"}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[]][[[]]]', 3],
    ['{"a":"\\"[[[["}', 1],
    ['{"a":"\\\\"}', 1],
    ['{"a":"[\\\\\\"]"}', 1],
    ['['.repeat(100_000) + ']'.repeat(100_000), 100_000],
    ['{"a":' + '['.repeat(50), 51], // unclosed: as far as it goes
  ])('%j → %i', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});
