import { eachOverlap } from './each-overlap.util';
import { Interval } from './engine.types';
import { StatusSegment } from './status-timeline.util';

const seg = (start: number, end: number, active: boolean): StatusSegment => ({ start, end, active });
const overlaps = (open: Interval[], status: StatusSegment[]) => {
  const seen: Array<[number, number, boolean]> = [];
  eachOverlap(open, status, (s, e, active) => seen.push([s, e, active]));
  return seen;
};

describe('eachOverlap', () => {
  it.each<[string, Interval[], StatusSegment[], Array<[number, number, boolean]>]>([
    ['nothing open', [], [seg(0, 10, true)], []],
    ['no status', [[0, 10]], [], []],
    ['one interval inside one segment', [[2, 5]], [seg(0, 10, false)], [[2, 5, false]]],
    ['one segment inside one interval', [[0, 10]], [seg(3, 4, true)], [[3, 4, true]]],
    [
      'a status change inside an open interval splits it',
      [[0, 10]],
      [seg(0, 4, true), seg(4, 10, false)],
      [
        [0, 4, true],
        [4, 10, false],
      ],
    ],
    [
      'closed time between two intervals of one segment: two overlaps',
      [
        [1, 3],
        [6, 8],
      ],
      [seg(0, 10, false)],
      [
        [1, 3, false],
        [6, 8, false],
      ],
    ],
    ['intervals that only touch a segment give nothing', [[0, 5]], [seg(5, 10, true)], []],
    [
      'segments and intervals interleaved',
      [
        [0, 3],
        [5, 9],
      ],
      [seg(0, 2, true), seg(2, 6, false), seg(6, 12, true)],
      [
        [0, 2, true],
        [2, 3, false],
        [5, 6, false],
        [6, 9, true],
      ],
    ],
    ['an interval past the last segment', [[20, 30]], [seg(0, 10, true)], []],
  ])('%s', (_name, open, status, expected) => {
    expect(overlaps(open, status)).toEqual(expected);
  });
});
