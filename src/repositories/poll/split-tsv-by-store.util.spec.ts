import { splitTsvByStore } from './split-tsv-by-store.util';

const pieces = (tsv: string, parts: number) =>
  splitTsvByStore(Buffer.from(tsv, 'latin1'), parts).map((p) => Buffer.from(p).toString('latin1'));

describe('splitTsvByStore', () => {
  it.each([
    ['', 2, []],
    ['a\t1\t1\n', 2, ['a\t1\t1\n']],
    ['a\t1\t1\nb\t1\t0\n', 2, ['a\t1\t1\n', 'b\t1\t0\n']],
    ['a\t1\t1\na\t2\t1\na\t3\t1\nb\t1\t0\n', 2, ['a\t1\t1\na\t2\t1\na\t3\t1\n', 'b\t1\t0\n']],
    ['a\t1\t1\nb\t1\t0\nb\t2\t0\nb\t3\t0\n', 2, ['a\t1\t1\n', 'b\t1\t0\nb\t2\t0\nb\t3\t0\n']],
    ['a\t1\t1\na\t2\t1\na\t3\t1\na\t4\t1\n', 2, ['a\t1\t1\na\t2\t1\na\t3\t1\na\t4\t1\n']],
    ['ab\t1\t1\na\t2\t1\naa\t1\t1\nb\t1\t1\n', 2, ['ab\t1\t1\na\t2\t1\n', 'aa\t1\t1\nb\t1\t1\n']],
    [
      'a\t1\t1\nb\t1\t1\nc\t1\t1\nd\t1\t1\ne\t1\t1\nf\t1\t1\n',
      3,
      ['a\t1\t1\nb\t1\t1\n', 'c\t1\t1\nd\t1\t1\n', 'e\t1\t1\nf\t1\t1\n'],
    ],
    ['a\t1\t1\nb\t1\t1\n', 1, ['a\t1\t1\nb\t1\t1\n']],
    [
      '18446744073709551615\t1678719600000000\t1\n18446744073709551615\t1678723200000000\t0\n9007199254740993\t1678719600000000\t1\n',
      2,
      [
        '18446744073709551615\t1678719600000000\t1\n18446744073709551615\t1678723200000000\t0\n',
        '9007199254740993\t1678719600000000\t1\n',
      ],
    ],
  ])('%j in %i parts → %j', (tsv, parts, expected) => {
    expect(pieces(tsv, parts)).toEqual(expected);
    expect(pieces(tsv, parts).join('')).toBe(tsv);
  });
});
