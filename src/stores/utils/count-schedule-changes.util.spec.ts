import { HoursRowInput } from '../../common/types/feed-rows.types';
import { countScheduleChanges } from './count-schedule-changes.util';

const row = (storeId: string, dayOfWeek: number, startSec: number, endSec: number): HoursRowInput => ({
  storeId,
  dayOfWeek,
  startSec,
  endSec,
});
const stored = (dayOfWeek: number, startSec: number, endSec: number) => ({ dayOfWeek, startSec, endSec });

describe('countScheduleChanges', () => {
  it.each([
    ['a store without a schedule: inserted', new Map(), [row('A', 0, 1, 2)], { inserted: 1, unchanged: 0, replaced: 0 }, 1],
    [
      'the same row again: unchanged',
      new Map([['A', [stored(0, 1, 2)]]]),
      [row('A', 0, 1, 2)],
      { inserted: 0, unchanged: 1, replaced: 0 },
      1,
    ],
    [
      'a new row of a scheduled store: replaced',
      new Map([['A', [stored(0, 1, 2)]]]),
      [row('A', 1, 1, 2)],
      { inserted: 0, unchanged: 0, replaced: 1 },
      1,
    ],
    [
      'a repeat within the file: unchanged, stored once',
      new Map(),
      [row('A', 0, 1, 2), row('A', 0, 1, 2)],
      { inserted: 1, unchanged: 1, replaced: 0 },
      1,
    ],
    [
      'two stores, mixed',
      new Map([['A', [stored(0, 9, 17), stored(1, 9, 17)]]]),
      [row('A', 0, 9, 17), row('A', 4, 8, 20), row('A', 4, 8, 20), row('B', 2, 10, 12)],
      { inserted: 1, unchanged: 2, replaced: 1 },
      3,
    ],
    [
      'the same times on another store are not a repeat',
      new Map(),
      [row('A', 0, 1, 2), row('B', 0, 1, 2)],
      { inserted: 2, unchanged: 0, replaced: 0 },
      2,
    ],
  ])('%s', (_name, before, rows, counts, freshCount) => {
    const result = countScheduleChanges(before, rows);
    expect(result.counts).toEqual(counts);
    expect(result.fresh).toHaveLength(freshCount);
  });
});
