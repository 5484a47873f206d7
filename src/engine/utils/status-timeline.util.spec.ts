import { Poll } from './engine.types';
import { statusAt, statusSegments, StatusSegment } from './status-timeline.util';

const up = (tsUs: number): Poll => ({ tsUs, active: true });
const down = (tsUs: number): Poll => ({ tsUs, active: false });
const seg = (start: number, end: number, active: boolean): StatusSegment => ({ start, end, active });

describe('statusSegments', () => {
  it.each<[string, Poll[], number, number, StatusSegment[]]>([
    ['no polls', [], 0, 100, []],
    ['empty range', [up(10)], 50, 50, []],
    ['one poll holds before and after it', [down(50)], 0, 100, [seg(0, 100, false)]],
    ['change at the midpoint', [up(10), down(30)], 0, 100, [seg(0, 20, true), seg(20, 100, false)]],
    ['a midpoint may be half a µs', [up(10), down(11)], 0, 100, [seg(0, 10.5, true), seg(10.5, 100, false)]],
    [
      'runs of one status make one segment',
      [up(10), up(20), down(40), down(50), up(90)],
      0,
      100,
      [seg(0, 30, true), seg(30, 70, false), seg(70, 100, true)],
    ],
    ['changes before the range only set the status', [up(0), down(10), up(20), down(200)], 50, 100, [seg(50, 100, true)]],
    ['a change exactly at the range start', [up(0), down(100)], 50, 80, [seg(50, 80, false)]],
    ['a change exactly at the range end', [up(0), down(100)], 0, 50, [seg(0, 50, true)]],
    ['polls all after the range: the first one holds', [down(200), up(300)], 0, 100, [seg(0, 100, false)]],
  ])('%s', (_name, polls, from, to, expected) => {
    expect(statusSegments(polls, from, to)).toEqual(expected);
  });
});

describe('statusAt', () => {
  const polls = [up(10), down(30), up(31)];
  it.each<[number, boolean]>([
    [0, true],
    [10, true],
    [19.5, true],
    [20, false], // the midpoint belongs to the later poll
    [30, false],
    [30.4, false],
    [30.5, true],
    [1000, true],
  ])('at %d → %s', (t, expected) => {
    expect(statusAt(polls, t)).toBe(expected);
  });

  it('is undefined with no polls', () => {
    expect(statusAt([], 0)).toBeUndefined();
  });
});
