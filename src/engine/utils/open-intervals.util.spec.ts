import { HoursRow, Interval } from './engine.types';
import { mergeIntervals, openIntervals, weekdayOfEpochDay } from './open-intervals.util';

/** An ISO instant as µs. */
const at = (s: string): number => Date.parse(s) * 1000;
/** 'HH:MM[:SS]' as seconds of the day. */
const sec = (hms: string): number => {
  const [h, m, s = 0] = hms.split(':').map(Number);
  return h * 3600 + m * 60 + s;
};
const MON = 0;
const TUE = 1;
const WED = 2;
const THU = 3;
const FRI = 4;
const SAT = 5;
const SUN = 6;
const row = (dayOfWeek: number, start: string, end: string): HoursRow => ({
  dayOfWeek,
  startSec: sec(start),
  endSec: sec(end),
});
const iv = (a: string, b: string): Interval => [at(a), at(b)];

// 2023-01-02 is a Monday; Chicago is at −06:00 all January.
const JAN_FROM = '2023-01-02T00:00:00Z';
const JAN_TO = '2023-01-10T00:00:00Z';

describe('weekdayOfEpochDay', () => {
  it.each([
    ['1970-01-01', THU],
    ['2023-01-02', MON],
    ['2023-01-08', SUN],
    ['1969-12-29', MON],
  ])('%s → %i', (date, expected) => {
    expect(weekdayOfEpochDay(Date.parse(`${date}T00:00:00Z`) / 86_400_000)).toBe(expected);
  });
});

describe('mergeIntervals', () => {
  it.each<[Interval[], Interval[]]>([
    [[], []],
    [[[5, 5]], []],
    [
      [
        [3, 4],
        [1, 2],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [
      [
        [1, 3],
        [2, 5],
        [5, 6],
        [8, 9],
        [7, 8.5],
      ],
      [
        [1, 6],
        [7, 9],
      ],
    ],
    [
      [
        [1, 10],
        [2, 3],
      ],
      [[1, 10]],
    ],
  ])('%j → %j', (input, expected) => {
    expect(mergeIntervals(input)).toEqual(expected);
  });
});

describe('openIntervals', () => {
  it.each<[string, HoursRow[], string | null | undefined, string, string, Interval[]]>([
    [
      'SPEC example: Monday 09:00–12:00',
      [row(MON, '09:00', '12:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-02T15:00:00Z', '2023-01-02T18:00:00Z'), iv('2023-01-09T15:00:00Z', '2023-01-09T18:00:00Z')],
    ],
    [
      'the same with seconds in the times',
      [row(MON, '09:00:30', '12:00:15')],
      'America/Chicago',
      JAN_FROM,
      '2023-01-03T00:00:00Z',
      [iv('2023-01-02T15:00:30Z', '2023-01-02T18:00:15Z')],
    ],
    [
      'missing zone (null) = America/Chicago',
      [row(MON, '09:00', '12:00')],
      null,
      JAN_FROM,
      '2023-01-03T00:00:00Z',
      [iv('2023-01-02T15:00:00Z', '2023-01-02T18:00:00Z')],
    ],
    [
      'missing zone (undefined) = America/Chicago',
      [row(MON, '09:00', '12:00')],
      undefined,
      JAN_FROM,
      '2023-01-03T00:00:00Z',
      [iv('2023-01-02T15:00:00Z', '2023-01-02T18:00:00Z')],
    ],
    [
      'Asia/Kathmandu (+05:45)',
      [row(MON, '09:00', '12:00')],
      'Asia/Kathmandu',
      JAN_FROM,
      '2023-01-03T00:00:00Z',
      [iv('2023-01-02T03:15:00Z', '2023-01-02T06:15:00Z')],
    ],
    [
      'Pacific/Chatham (+13:45): Monday falls mostly on Sunday UTC',
      [row(MON, '09:00', '12:00')],
      'Pacific/Chatham',
      '2023-01-01T00:00:00Z',
      '2023-01-02T00:00:00Z',
      [iv('2023-01-01T19:15:00Z', '2023-01-01T22:15:00Z')],
    ],
    [
      'overnight Friday 22:00–02:00',
      [row(FRI, '22:00', '02:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-07T04:00:00Z', '2023-01-07T08:00:00Z')],
    ],
    [
      'overnight Sunday→Monday across the week boundary, merged with Monday',
      [row(SUN, '20:00', '03:00'), row(MON, '02:00', '05:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      // Sunday 2023-01-01 20:00 CST = 01-02T02:00Z, through Monday 05:00 CST.
      [iv('2023-01-02T02:00:00Z', '2023-01-02T11:00:00Z'), iv('2023-01-09T02:00:00Z', '2023-01-09T11:00:00Z')],
    ],
    [
      'an overnight row of the previous local day clipped at the range start',
      [row(SUN, '20:00', '03:00')],
      'America/Chicago',
      '2023-01-02T07:00:00Z',
      '2023-01-03T00:00:00Z',
      [iv('2023-01-02T07:00:00Z', '2023-01-02T09:00:00Z')],
    ],
    [
      'end 23:59:59 = midnight, merged with the next day from 00:00',
      [row(TUE, '10:00', '23:59:59'), row(WED, '00:00', '02:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-03T16:00:00Z', '2023-01-04T08:00:00Z')],
    ],
    [
      'end 24:00 = midnight',
      [row(TUE, '10:00', '24:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-03T16:00:00Z', '2023-01-04T06:00:00Z')],
    ],
    [
      '00:00–23:59:59 every day = open all the time',
      [0, 1, 2, 3, 4, 5, 6].map((d) => row(d, '00:00', '23:59:59')),
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv(JAN_FROM, JAN_TO)],
    ],
    [
      'end 23:59 is not midnight',
      [row(TUE, '10:00', '23:59')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-03T16:00:00Z', '2023-01-04T05:59:00Z')],
    ],
    [
      'split shifts',
      [row(WED, '11:00', '14:00'), row(WED, '17:00', '22:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-04T17:00:00Z', '2023-01-04T20:00:00Z'), iv('2023-01-04T23:00:00Z', '2023-01-05T04:00:00Z')],
    ],
    [
      'overlapping and touching rows merged',
      [row(THU, '12:00', '15:00'), row(THU, '09:00', '13:00'), row(THU, '15:00', '16:00'), row(THU, '20:00', '21:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-05T15:00:00Z', '2023-01-05T22:00:00Z'), iv('2023-01-06T02:00:00Z', '2023-01-06T03:00:00Z')],
    ],
    [
      'equal start and end = 24 hours',
      [row(SAT, '06:00', '06:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [iv('2023-01-07T12:00:00Z', '2023-01-08T12:00:00Z')],
    ],
    [
      'closed on days without rows',
      [row(MON, '09:00', '12:00')],
      'America/Chicago',
      '2023-01-03T00:00:00Z',
      '2023-01-09T00:00:00Z',
      [],
    ],
    [
      'a day outside 0–6 opens nothing',
      [row(7, '09:00', '12:00'), row(-1, '09:00', '12:00')],
      'America/Chicago',
      JAN_FROM,
      JAN_TO,
      [],
    ],
    ['no rows = open all the time', [], 'America/Chicago', JAN_FROM, JAN_TO, [iv(JAN_FROM, JAN_TO)]],
    [
      'a range inside an open interval',
      [row(MON, '09:00', '12:00')],
      'America/Chicago',
      '2023-01-02T16:00:00Z',
      '2023-01-02T17:00:00Z',
      [iv('2023-01-02T16:00:00Z', '2023-01-02T17:00:00Z')],
    ],
    ['an empty range', [], 'America/Chicago', JAN_TO, JAN_TO, []],
    ['a reversed range', [row(MON, '00:00', '00:00')], 'America/Chicago', JAN_TO, JAN_FROM, []],

    // Chicago spring forward, Sunday 2023-03-12: 02:00–03:00 CST does not exist.
    ...(
      [
        ['opening in the skipped hour', [row(SUN, '02:30', '10:00')], [iv('2023-03-12T08:30:00Z', '2023-03-12T15:00:00Z')]],
        [
          'closing in the skipped hour (2.5 h real)',
          [row(SUN, '00:00', '02:30')],
          [iv('2023-03-12T06:00:00Z', '2023-03-12T08:30:00Z')],
        ],
        [
          'across the skipped hour (1 h real)',
          [row(SUN, '01:00', '03:00')],
          [iv('2023-03-12T07:00:00Z', '2023-03-12T08:00:00Z')],
        ],
        ['02:00–02:30 (30 min real)', [row(SUN, '02:00', '02:30')], [iv('2023-03-12T08:00:00Z', '2023-03-12T08:30:00Z')]],
        ['02:30–03:00 converts to an empty interval', [row(SUN, '02:30', '03:00')], []],
        [
          'overnight Saturday into the skipped hour',
          [row(SAT, '22:00', '02:30')],
          [iv('2023-03-12T04:00:00Z', '2023-03-12T08:30:00Z')],
        ],
        ['the whole 23-hour day', [row(SUN, '00:00', '24:00')], [iv('2023-03-12T06:00:00Z', '2023-03-13T05:00:00Z')]],
      ] as [string, HoursRow[], Interval[]][]
    ).map(
      ([name, rows, expected]) =>
        [`Chicago 2023-03-12: ${name}`, rows, 'America/Chicago', '2023-03-11T00:00:00Z', '2023-03-14T00:00:00Z', expected] as [
          string,
          HoursRow[],
          string,
          string,
          string,
          Interval[],
        ],
    ),

    // Chicago fall back, Sunday 2023-11-05: 01:00–02:00 occurs twice (CDT, then CST).
    ...(
      [
        [
          'a row in the repeated hour takes its first occurrence',
          [row(SUN, '01:00', '01:30')],
          [iv('2023-11-05T06:00:00Z', '2023-11-05T06:30:00Z')],
        ],
        ['01:00–02:00 (2 h real)', [row(SUN, '01:00', '02:00')], [iv('2023-11-05T06:00:00Z', '2023-11-05T08:00:00Z')]],
        ['00:00–03:00 (4 h real)', [row(SUN, '00:00', '03:00')], [iv('2023-11-05T05:00:00Z', '2023-11-05T09:00:00Z')]],
        [
          'overnight Saturday into the repeated hour',
          [row(SAT, '20:00', '01:30')],
          [iv('2023-11-05T01:00:00Z', '2023-11-05T06:30:00Z')],
        ],
        ['the whole 25-hour day', [row(SUN, '00:00', '00:00')], [iv('2023-11-05T05:00:00Z', '2023-11-06T06:00:00Z')]],
      ] as [string, HoursRow[], Interval[]][]
    ).map(
      ([name, rows, expected]) =>
        [`Chicago 2023-11-05: ${name}`, rows, 'America/Chicago', '2023-11-04T00:00:00Z', '2023-11-07T00:00:00Z', expected] as [
          string,
          HoursRow[],
          string,
          string,
          string,
          Interval[],
        ],
    ),

    // Lord Howe: 30-minute DST. Sunday 2023-10-01 skips 02:00–02:30 (+10:30 → +11);
    // Sunday 2023-04-02 repeats 01:30–02:00 (+11 → +10:30).
    ...(
      [
        [
          'Lord_Howe 2023-10-01: opening in the skipped half hour',
          [row(SUN, '02:15', '09:00')],
          [iv('2023-09-30T15:45:00Z', '2023-09-30T22:00:00Z')],
        ],
        ['Lord_Howe 2023-10-01: 02:00–02:30 converts to an empty interval', [row(SUN, '02:00', '02:30')], []],
        [
          'Lord_Howe 2023-10-01: 00:00–06:00 (5.5 h real)',
          [row(SUN, '00:00', '06:00')],
          [iv('2023-09-30T13:30:00Z', '2023-09-30T19:00:00Z')],
        ],
        [
          'Lord_Howe 2023-04-02: 01:00–02:00 (1.5 h real)',
          [row(SUN, '01:00', '02:00')],
          [iv('2023-04-01T14:00:00Z', '2023-04-01T15:30:00Z')],
        ],
        [
          'Lord_Howe 2023-04-02: 01:45–01:50 in the repeated half hour',
          [row(SUN, '01:45', '01:50')],
          [iv('2023-04-01T14:45:00Z', '2023-04-01T14:50:00Z')],
        ],
        [
          'Lord_Howe 2023-04-02: the whole 24.5-hour day',
          [row(SUN, '00:00', '24:00')],
          [iv('2023-04-01T13:00:00Z', '2023-04-02T13:30:00Z')],
        ],
      ] as [string, HoursRow[], Interval[]][]
    ).map(([name, rows, expected]) => {
      const april = name.includes('04-02');
      return [
        name,
        rows,
        'Australia/Lord_Howe',
        april ? '2023-03-31T00:00:00Z' : '2023-09-29T00:00:00Z',
        april ? '2023-04-03T00:00:00Z' : '2023-10-02T00:00:00Z',
        expected,
      ] as [string, HoursRow[], string, string, string, Interval[]];
    }),
  ])('%s', (_name, hours, zone, from, to, expected) => {
    expect(openIntervals(hours, zone, at(from), at(to))).toEqual(expected);
  });

  it('throws RangeError for an unknown zone', () => {
    expect(() => openIntervals([row(MON, '09:00', '12:00')], 'Mars/Olympus_Mons', 0, 1e12)).toThrow(RangeError);
  });

  it('returns sorted, disjoint, non-empty intervals inside the range for random schedules', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const zones = ['America/Chicago', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'Europe/London'];
    for (let n = 0; n < 300; n++) {
      const hours = Array.from({ length: Math.floor(rand() * 10) }, () =>
        row(Math.floor(rand() * 7), `${Math.floor(rand() * 24)}:${Math.floor(rand() * 4) * 15}`, `${Math.floor(rand() * 25)}:00`),
      );
      const from = at('2023-01-01T00:00:00Z') + Math.floor(rand() * 365) * 86_400e6 + Math.floor(rand() * 86_400) * 1e6;
      const to = from + Math.floor(rand() * 10 * 86_400) * 1e6;
      const result = openIntervals(hours, zones[n % zones.length], from, to);
      result.forEach(([s, e], k) => {
        expect(e).toBeGreaterThan(s);
        expect(s).toBeGreaterThanOrEqual(from);
        expect(e).toBeLessThanOrEqual(to);
        if (k > 0) expect(s).toBeGreaterThan(result[k - 1][1]);
      });
    }
  });
});
