import { mulberry32 as prng } from '../../common/utils/mulberry32.util';
import {
  HoursRow,
  Interval,
  Poll,
  StoreFigures,
  StoreInput,
  US_PER_DAY,
  US_PER_HOUR,
  US_PER_MINUTE,
  US_PER_WEEK,
} from './engine.types';
import { openIntervals } from './open-intervals.util';
import { statusAt } from './status-timeline.util';
import { computeStoreFigures } from './store-figures.util';

const at = (s: string): number => Date.parse(s) * 1000;
const H = US_PER_HOUR;
const M = US_PER_MINUTE;
const up = (tsUs: number): Poll => ({ tsUs, active: true });
const down = (tsUs: number): Poll => ({ tsUs, active: false });
const row = (dayOfWeek: number, start: number, end: number): HoursRow => ({
  dayOfWeek,
  startSec: start * 3600,
  endSec: end * 3600,
});
/** Figures in the report's order: up hour/day/week, down hour/day/week. */
const fig = (uh: number, ud: number, uw: number, dh: number, dd: number, dw: number): StoreFigures => ({
  uptimeLastHour: uh,
  uptimeLastDay: ud,
  uptimeLastWeek: uw,
  downtimeLastHour: dh,
  downtimeLastDay: dd,
  downtimeLastWeek: dw,
});
const ZERO = fig(0, 0, 0, 0, 0, 0);

// SPEC worked example: Monday 09:00–12:00 Chicago (2023-01-02, CST = UTC−6), polls at 10:14
// active and 11:15 inactive local: active 09:00–10:44:30, inactive 10:44:30–12:00.
const specStore: StoreInput = {
  hours: [row(0, 9, 12)],
  zone: 'America/Chicago',
  polls: [up(at('2023-01-02T16:14:00Z')), down(at('2023-01-02T17:15:00Z'))],
};
const SPEC_UP = H + 44.5 * M;
const SPEC_DOWN = H + 15.5 * M;

// Every night 22:00–02:00 Chicago; inactive poll Fri 2023-01-06 00:00 CST, active poll
// Sat 2023-01-07 00:00 CST: the status changes at Fri 12:00 CST.
const nightStore: StoreInput = {
  hours: [0, 1, 2, 3, 4, 5, 6].map((d) => row(d, 22, 2)),
  zone: 'America/Chicago',
  polls: [down(at('2023-01-06T06:00:00Z')), up(at('2023-01-07T06:00:00Z'))],
};

const T = at('2023-06-15T12:00:00Z');
const always = (polls: Poll[]): StoreInput => ({ hours: [], zone: 'America/Chicago', polls });

describe('computeStoreFigures', () => {
  it.each<[string, StoreInput, number, StoreFigures]>([
    [
      'SPEC example, as_of the same afternoon',
      specStore,
      at('2023-01-02T20:00:00Z'),
      fig(0, SPEC_UP, SPEC_UP, 0, SPEC_DOWN, SPEC_DOWN),
    ],
    // Day window [Mon 11:00 CST, Tue 11:00 CST): only 11:00–12:00 Monday, inactive.
    ['SPEC example, as_of Tuesday 11:00 local', specStore, at('2023-01-03T17:00:00Z'), fig(0, 0, SPEC_UP, 0, H, SPEC_DOWN)],
    // as_of 11:30 local: the hour [10:30, 11:30) is active until 10:44:30; the week also holds
    // 11:30–12:00 of Monday 2022-12-26, active (before the first poll).
    [
      'SPEC example, as_of 11:30 local',
      specStore,
      at('2023-01-02T17:30:00Z'),
      fig(14.5 * M, SPEC_UP, SPEC_UP + 30 * M, 45.5 * M, 45.5 * M, 45.5 * M),
    ],
    [
      'SPEC example, as_of a week later: only the Monday 2023-01-09 morning is in',
      specStore,
      at('2023-01-09T18:00:00Z'),
      fig(0, 0, 0, H, 3 * H, 3 * H),
    ],
    ['no poll', { ...specStore, polls: [] }, at('2023-01-02T20:00:00Z'), ZERO],
    ['no poll at or before as_of (later polls are ignored)', specStore, at('2023-01-02T16:00:00Z'), ZERO],
    ['a poll after as_of is ignored', always([down(T - 5 * H), up(T + M)]), T, fig(0, 0, 0, H, 24 * H, 168 * H)],
    ['one poll, active, 24x7', always([up(T - 3 * H)]), T, fig(H, 24 * H, 168 * H, 0, 0, 0)],
    ['one poll, inactive, exactly at as_of', always([down(T)]), T, fig(0, 0, 0, H, 24 * H, 168 * H)],
    ['one poll long before the week', always([up(T - 30 * US_PER_DAY)]), T, fig(H, 24 * H, 168 * H, 0, 0, 0)],
    [
      'polls straddling the hour edge, midpoint on it',
      always([up(T - 70 * M), down(T - 50 * M)]),
      T,
      fig(0, 23 * H, 167 * H, H, H, H),
    ],
    [
      'polls straddling the hour edge, midpoint inside',
      always([down(T - 70 * M), up(T - 40 * M)]),
      T,
      fig(55 * M, 55 * M, 55 * M, 5 * M, 23 * H + 5 * M, 167 * H + 5 * M),
    ],
    [
      'polls straddling the hour edge, midpoint before it',
      always([down(T - 80 * M), up(T - 50 * M)]),
      T,
      fig(H, H + 5 * M, H + 5 * M, 0, 22 * H + 55 * M, 166 * H + 55 * M),
    ],
    [
      'polls straddling the day edge',
      always([up(T - 25 * H), down(T - 23.5 * H)]),
      T,
      fig(0, 0, 143 * H + 45 * M, H, 24 * H, 24 * H + 15 * M),
    ],
    [
      'polls straddling the week edge, midpoint before it',
      always([down(T - 170 * H), up(T - 167 * H)]),
      T,
      fig(H, 24 * H, 168 * H, 0, 0, 0),
    ],
    [
      'polls straddling the week edge, midpoint inside',
      always([down(T - 169 * H), up(T - 165 * H)]),
      T,
      fig(H, 24 * H, 167 * H, 0, 0, H),
    ],
    [
      'a change half a µs before as_of',
      always([up(T - 3), down(T - 2)]),
      T,
      fig(H - 2.5, 24 * H - 2.5, 168 * H - 2.5, 2.5, 2.5, 2.5),
    ],
    // Week window [Tue 2023-01-03 06:00, Tue 2023-01-10 06:00) CST: nights of Jan 3–9; the
    // nights of Jan 3, 4, 5 inactive, of Jan 6, 7, 8, 9 active.
    ['overnight hours, as_of 06:00 local', nightStore, at('2023-01-10T12:00:00Z'), fig(0, 4 * H, 16 * H, 0, 0, 12 * H)],
    // as_of 01:30 local: 30 min of the night of Jan 2 (inactive), nights Jan 3–5 (inactive),
    // nights Jan 6–8 and 22:00–01:30 of Jan 9 (active); the day: 00:00–02:00 and 22:00–01:30.
    [
      'overnight hours, as_of 01:30 local inside a night',
      nightStore,
      at('2023-01-10T07:30:00Z'),
      fig(H, 4 * H, 15.5 * H, 0, 0, 12.5 * H),
    ],
    [
      // Changes at T−150 h (to inactive), T−60 h (to active), T−10 h 15 min (to inactive).
      'alternating polls 24x7',
      always([up(T - 200 * H), down(T - 100 * H), up(T - 20 * H), down(T - 30 * M)]),
      T,
      fig(0, 13 * H + 45 * M, 18 * H + 49 * H + 45 * M, H, 10 * H + 15 * M, 90 * H + 10 * H + 15 * M),
    ],
  ])('%s', (_name, input, asOf, expected) => {
    expect(computeStoreFigures(input, asOf)).toEqual(expected);
  });

  it('extra polls older than the last one before the week change nothing', () => {
    const base = always([down(T - 200 * H), up(T - 100 * H), down(T - 10 * M)]);
    const older = always([up(T - 900 * H), down(T - 500 * H), up(T - 300 * H), ...base.polls]);
    expect(computeStoreFigures(older, T)).toEqual(computeStoreFigures(base, T));
  });

  it('uptime + downtime = open time in every window', () => {
    const input: StoreInput = { ...nightStore, polls: [up(at('2023-01-04T00:00:00Z')), ...nightStore.polls] };
    const asOf = at('2023-01-10T07:30:00Z');
    const f = computeStoreFigures(input, asOf);
    expect(f.uptimeLastHour + f.downtimeLastHour).toBe(H);
    expect(f.uptimeLastDay + f.downtimeLastDay).toBe(4 * H);
    expect(f.uptimeLastWeek + f.downtimeLastWeek).toBe(28 * H);
  });
});

const measure = (intervals: readonly Interval[]): number => intervals.reduce((sum, [s, e]) => sum + e - s, 0);

/**
 * Brute-force oracle: cut every open piece of the window at every poll midpoint and give each
 * piece the status of its middle instant.
 */
function oracle(input: StoreInput, asOf: number, length: number): { up: number; down: number } {
  const polls = input.polls.filter((p) => p.tsUs <= asOf);
  let upTime = 0;
  let downTime = 0;
  if (polls.length === 0) return { up: 0, down: 0 };
  const mids = polls.slice(1).map((p, i) => (polls[i].tsUs + p.tsUs) / 2);
  for (const [s, e] of openIntervals(input.hours, input.zone, asOf - length, asOf)) {
    const cuts = [s, ...mids.filter((m) => m > s && m < e), e];
    for (let k = 1; k < cuts.length; k++) {
      const piece = cuts[k] - cuts[k - 1];
      if (statusAt(polls, (cuts[k] + cuts[k - 1]) / 2)) upTime += piece;
      else downTime += piece;
    }
  }
  return { up: upTime, down: downTime };
}

describe('computeStoreFigures on 300 random stores (property test)', () => {
  const rand = prng(2024);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)];
  const zones = [
    'America/Chicago',
    'America/New_York',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kathmandu',
    'Europe/London',
    'America/Sao_Paulo',
    'UTC',
    null,
    undefined,
  ];
  // Around DST changes of the zones above (2023).
  const anchors = [
    '2023-03-12',
    '2023-11-05',
    '2023-03-26',
    '2023-10-29',
    '2023-04-02',
    '2023-10-01',
    '2023-09-24',
    '2023-06-15',
  ].map((d) => at(`${d}T00:00:00Z`));
  const stores = Array.from({ length: 300 }, (_, n) => {
    const hours: HoursRow[] = [];
    const nRows = n % 10 === 0 ? 0 : Math.floor(rand() * 12);
    for (let r = 0; r < nRows; r++) {
      const startSec = rand() < 0.7 ? Math.floor(rand() * 96) * 900 : Math.floor(rand() * 86_400);
      const kind = rand();
      const endSec =
        kind < 0.1
          ? 86_400
          : kind < 0.2
            ? 86_399
            : kind < 0.3
              ? startSec
              : kind < 0.7
                ? Math.floor(rand() * 96) * 900
                : Math.floor(rand() * 86_401);
      hours.push({ dayOfWeek: Math.floor(rand() * 7), startSec, endSec });
    }
    const asOf = pick(anchors) + Math.floor((rand() - 0.5) * 10 * US_PER_DAY);
    const nPolls = n % 7 === 0 ? 0 : Math.floor(rand() * 200);
    const stamps = new Set<number>();
    for (let p = 0; p < nPolls; p++) {
      stamps.add(asOf - Math.floor(rand() * 9 * US_PER_DAY) - (rand() < 0.1 ? 1 : 0));
    }
    if (nPolls > 0 && rand() < 0.2) stamps.add(asOf); // a poll exactly at as_of
    const polls = [...stamps].sort((a, b) => a - b).map((tsUs) => ({ tsUs, active: rand() < 0.8 }));
    return { n, input: { hours, zone: pick(zones), polls }, asOf };
  });

  it.each(stores)('store $n', ({ input, asOf }) => {
    const f = computeStoreFigures(input, asOf);
    const windows: [number, number, number][] = [
      [H, f.uptimeLastHour, f.downtimeLastHour],
      [US_PER_DAY, f.uptimeLastDay, f.downtimeLastDay],
      [US_PER_WEEK, f.uptimeLastWeek, f.downtimeLastWeek],
    ];
    for (const [length, upTime, downTime] of windows) {
      expect(upTime).toBeGreaterThanOrEqual(0);
      expect(downTime).toBeGreaterThanOrEqual(0);
      expect(upTime).toBeLessThanOrEqual(length);
      expect(downTime).toBeLessThanOrEqual(length);
      if (input.polls.length === 0) {
        expect([upTime, downTime]).toEqual([0, 0]);
      } else {
        expect(upTime + downTime).toBe(measure(openIntervals(input.hours, input.zone, asOf - length, asOf)));
      }
      expect({ up: upTime, down: downTime }).toEqual(oracle(input, asOf, length));
    }
    expect(f.uptimeLastHour).toBeLessThanOrEqual(f.uptimeLastDay);
    expect(f.uptimeLastDay).toBeLessThanOrEqual(f.uptimeLastWeek);
    expect(f.downtimeLastHour).toBeLessThanOrEqual(f.downtimeLastDay);
    expect(f.downtimeLastDay).toBeLessThanOrEqual(f.downtimeLastWeek);
  });

  it('covers stores with and without polls and hours', () => {
    expect(stores.filter((s) => s.input.polls.length === 0).length).toBeGreaterThan(10);
    expect(stores.filter((s) => s.input.hours.length === 0 && s.input.polls.length > 0).length).toBeGreaterThan(10);
  });
});
