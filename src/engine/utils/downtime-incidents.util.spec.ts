import { downtimeIncidents } from './downtime-incidents.util';
import { HoursRow, Interval, Poll, US_PER_WEEK } from './engine.types';
import { openIntervals } from './open-intervals.util';
import { statusSegments } from './status-timeline.util';
import { computeStoreFigures } from './store-figures.util';

/** An ISO instant as µs. */
const at = (s: string): number => Date.parse(s) * 1000;
const row = (dayOfWeek: number, startH: number, endH: number): HoursRow => ({
  dayOfWeek,
  startSec: startH * 3600,
  endSec: endH * 3600,
});
const everyDay = (startH: number, endH: number) => [0, 1, 2, 3, 4, 5, 6].map((d) => row(d, startH, endH));
const up = (iso: string): Poll => ({ tsUs: at(iso), active: true });
const down = (iso: string): Poll => ({ tsUs: at(iso), active: false });
const iv = (a: string, b: string): Interval => [at(a), at(b)];
const MON = 0;
const WED = 2;
const FRI = 4;
const SUN = 6;

describe('downtimeIncidents', () => {
  // Each case runs the engine as the store view does: open intervals and status segments over
  // the week before as_of, then their open-and-inactive intersection.
  it.each<[string, HoursRow[], string | null, Poll[], string, Interval[]]>([
    [
      'SPEC example: an incident spanning the closing time ends at the closing',
      [row(MON, 9, 12)],
      'UTC',
      [up('2023-01-02T10:14:00Z'), down('2023-01-02T11:15:00Z'), up('2023-01-03T09:30:00Z')],
      '2023-01-03T12:00:00Z',
      [iv('2023-01-02T10:44:30Z', '2023-01-02T12:00:00Z')],
    ],
    [
      'closed time between two shifts separates two incidents',
      [row(WED, 11, 14), row(WED, 17, 22)],
      'UTC',
      [up('2023-01-04T12:00:00Z'), down('2023-01-04T13:00:00Z'), down('2023-01-04T19:00:00Z'), up('2023-01-04T21:00:00Z')],
      '2023-01-05T00:00:00Z',
      [iv('2023-01-04T12:30:00Z', '2023-01-04T14:00:00Z'), iv('2023-01-04T17:00:00Z', '2023-01-04T20:00:00Z')],
    ],
    [
      'overnight hours (Friday 22:00–02:00 Chicago): one incident across local midnight',
      [row(FRI, 22, 2)],
      'America/Chicago',
      [up('2023-01-07T03:00:00Z'), down('2023-01-07T05:00:00Z'), down('2023-01-07T07:00:00Z'), up('2023-01-07T09:00:00Z')],
      '2023-01-08T00:00:00Z',
      [iv('2023-01-07T04:00:00Z', '2023-01-07T08:00:00Z')],
    ],
    [
      'DST week: Sunday 01:00–05:00 Chicago on 2023-03-12 is 3 real hours, all down',
      [row(SUN, 1, 5)],
      'America/Chicago',
      [down('2023-03-12T06:00:00Z'), down('2023-03-12T09:00:00Z'), up('2023-03-12T13:00:00Z')],
      '2023-03-13T15:00:00Z',
      [iv('2023-03-12T07:00:00Z', '2023-03-12T10:00:00Z')],
    ],
    [
      'DST week, daily 09:00–17:00 Chicago: each night ends an incident, and opening moves an hour in UTC',
      everyDay(9, 17),
      'America/Chicago',
      [up('2023-03-11T12:00:00Z'), down('2023-03-11T18:00:00Z'), down('2023-03-12T20:00:00Z'), up('2023-03-13T02:00:00Z')],
      '2023-03-13T15:00:00Z',
      [iv('2023-03-11T15:00:00Z', '2023-03-11T23:00:00Z'), iv('2023-03-12T14:00:00Z', '2023-03-12T22:00:00Z')],
    ],
    [
      'a feed that stopped on an inactive poll: an incident every open day up to as_of',
      everyDay(9, 17),
      'UTC',
      [up('2023-01-04T14:00:00Z'), down('2023-01-04T15:00:00Z')],
      '2023-01-09T12:00:00Z',
      [
        iv('2023-01-04T14:30:00Z', '2023-01-04T17:00:00Z'),
        iv('2023-01-05T09:00:00Z', '2023-01-05T17:00:00Z'),
        iv('2023-01-06T09:00:00Z', '2023-01-06T17:00:00Z'),
        iv('2023-01-07T09:00:00Z', '2023-01-07T17:00:00Z'),
        iv('2023-01-08T09:00:00Z', '2023-01-08T17:00:00Z'),
        iv('2023-01-09T09:00:00Z', '2023-01-09T12:00:00Z'),
      ],
    ],
    [
      'a feed that stopped on an active poll: the first poll holds back to the week start, where the first incident is clipped',
      everyDay(9, 17),
      'UTC',
      [down('2023-01-04T14:00:00Z'), up('2023-01-04T15:00:00Z')],
      '2023-01-09T12:00:00Z',
      [
        iv('2023-01-02T12:00:00Z', '2023-01-02T17:00:00Z'),
        iv('2023-01-03T09:00:00Z', '2023-01-03T17:00:00Z'),
        iv('2023-01-04T09:00:00Z', '2023-01-04T14:30:00Z'),
      ],
    ],
    [
      'no hours (open all the time) and one inactive poll: the whole week is one incident',
      [],
      null,
      [down('2023-01-05T00:00:00Z')],
      '2023-01-09T12:00:00Z',
      [iv('2023-01-02T12:00:00Z', '2023-01-09T12:00:00Z')],
    ],
    ['no poll: no known status, no incident', everyDay(9, 17), 'UTC', [], '2023-01-09T12:00:00Z', []],
    [
      'down only while closed: no incident',
      [row(MON, 9, 12)],
      'UTC',
      [up('2023-01-09T08:00:00Z'), up('2023-01-09T11:30:00Z'), down('2023-01-09T14:00:00Z')],
      '2023-01-09T23:00:00Z',
      [],
    ],
  ])('%s', (_name, hours, zone, polls, asOf, expected) => {
    const asOfUs = at(asOf);
    const open = openIntervals(hours, zone, asOfUs - US_PER_WEEK, asOfUs);
    const incidents = downtimeIncidents(open, statusSegments(polls, asOfUs - US_PER_WEEK, asOfUs));
    expect(incidents).toEqual(expected);
    // Their total is the week's downtime, and each lies inside one open interval.
    const total = incidents.reduce((sum, [s, e]) => sum + (e - s), 0);
    expect(total).toBe(computeStoreFigures({ hours, zone, polls }, asOfUs).downtimeLastWeek);
    for (const [s, e] of incidents) expect(open.some(([os, oe]) => os <= s && e <= oe)).toBe(true);
  });

  it.each<[string, Interval[], Array<{ start: number; end: number; active: boolean }>, Interval[]]>([
    ['nothing open', [], [{ start: 0, end: 100, active: false }], []],
    ['no status', [[0, 100]], [], []],
    [
      'a half-µs midpoint is kept exact',
      [[0, 100]],
      [
        { start: 0, end: 10.5, active: true },
        { start: 10.5, end: 100, active: false },
      ],
      [[10.5, 100]],
    ],
    [
      'touching pieces of unmerged input count as one incident',
      [
        [0, 50],
        [50, 100],
      ],
      [{ start: 0, end: 100, active: false }],
      [[0, 100]],
    ],
  ])('on raw intervals: %s', (_name, open, status, expected) => {
    expect(downtimeIncidents(open, status)).toEqual(expected);
  });
});
