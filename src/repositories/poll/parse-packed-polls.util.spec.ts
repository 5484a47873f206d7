import { parsePackedPolls } from './parse-packed-polls.util';

describe('parsePackedPolls', () => {
  const big = 2 * 4_102_444_799_999_999 + 1; // the last microsecond of 2099, active
  it.each([
    ['one poll', '3356179436000001', [3356179436000001]],
    ['several polls', '10,21,0,7', [10, 21, 0, 7]],
    ['the largest packed poll', `${big}`, [big]],
    ['an empty list', '', []],
  ])('%s, as text and as bytes', (_what, text, expected) => {
    expect(parsePackedPolls(text)).toEqual(expected);
    expect(parsePackedPolls(Buffer.from(text))).toEqual(expected);
  });

  it('reads what String.split and Number read', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 2_654_435_761 * 1_000_003) % 2 ** 53);
    const text = values.join(',');
    expect(parsePackedPolls(text)).toEqual(text.split(',').map(Number));
  });
});
