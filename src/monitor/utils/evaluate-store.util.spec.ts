import { HoursRow, US_PER_HOUR, US_PER_WEEK } from '../../engine/utils';
import { evaluateStore, StoreEvaluation } from './evaluate-store.util';

// Monday 2023-03-06 00:00 UTC, and hours after it.
const MONDAY = Date.UTC(2023, 2, 6) * 1000;
const h = (hours: number) => MONDAY + hours * US_PER_HOUR;
/** Hourly polls from `from` to `to` (inclusive) with the status `active`. */
const polls = (from: number, to: number, active: boolean) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ tsUs: h(from + i), active }));
const NINE_TO_FIVE: HoursRow[] = [{ dayOfWeek: 0, startSec: 9 * 3600, endSec: 17 * 3600 }];

const base = {
  asOfUs: h(34),
  fromUs: h(10),
  lookbackUs: 24 * US_PER_HOUR,
  hours: [] as HoursRow[],
  zone: 'UTC',
  openIncidentUs: null,
};

describe('evaluateStore', () => {
  it.each<[string, Partial<Parameters<typeof evaluateStore>[0]>, Partial<StoreEvaluation>]>([
    ['no poll: no data, nothing to announce', { polls: [] }, { state: 'no_data', sinceUs: null, events: [] }],
    ['active throughout: up', { polls: polls(9, 34, true) }, { state: 'up', events: [], cut: false }],
    [
      'inactive from the midpoint 29.5: down since then, announced',
      { polls: [...polls(9, 29, true), ...polls(30, 34, false)] },
      { state: 'down', sinceUs: h(29.5), openIncidentUs: h(29.5), events: [{ type: 'store.down', startUs: h(29.5) }] },
    ],
    [
      'an incident that ended: down then up, with its end',
      { polls: [...polls(9, 20, true), ...polls(21, 24, false), ...polls(25, 34, true)] },
      {
        state: 'up',
        openIncidentUs: null,
        events: [
          { type: 'store.down', startUs: h(20.5) },
          { type: 'store.up', startUs: h(20.5), endUs: h(24.5) },
        ],
      },
    ],
    [
      'an incident that ended before the lookback: nothing',
      { lookbackUs: 5 * US_PER_HOUR, polls: [...polls(9, 20, true), ...polls(21, 24, false), ...polls(25, 34, true)] },
      { state: 'up', events: [] },
    ],
    [
      'the announced incident ended before the lookback: still closed by store.up',
      {
        lookbackUs: 5 * US_PER_HOUR,
        openIncidentUs: h(20.5),
        polls: [...polls(9, 20, true), ...polls(21, 24, false), ...polls(25, 34, true)],
      },
      {
        events: [
          { type: 'store.down', startUs: h(20.5) },
          { type: 'store.up', startUs: h(20.5), endUs: h(24.5) },
        ],
      },
    ],
    [
      'the announced incident overturned by later polls: it ends where it began',
      { openIncidentUs: h(33), polls: polls(9, 34, true) },
      { state: 'up', openIncidentUs: null, events: [{ type: 'store.up', startUs: h(33), endUs: h(33) }] },
    ],
    [
      'outside business hours: closed, the day’s incident ended at closing',
      { hours: NINE_TO_FIVE, asOfUs: h(20), fromUs: h(0), polls: [...polls(8, 15, true), ...polls(16, 20, false)] },
      {
        state: 'closed',
        events: [
          { type: 'store.down', startUs: h(15.5) },
          { type: 'store.up', startUs: h(15.5), endUs: h(17) },
        ],
      },
    ],
    [
      'inside business hours and inactive since before opening: down since the opening',
      { hours: NINE_TO_FIVE, asOfUs: h(12), fromUs: h(0), polls: [...polls(0, 5, true), ...polls(6, 12, false)] },
      { state: 'down', sinceUs: h(9), events: [{ type: 'store.down', startUs: h(9) }] },
    ],
    ['down since before the polls read: cut, to be read from the week', { polls: polls(0, 34, false) }, { cut: true }],
    [
      'down since before the polls read, which begin at the announced start: not cut',
      { fromUs: h(3.5), openIncidentUs: h(3.5), polls: polls(3, 34, false) },
      { cut: false, state: 'down', sinceUs: h(3.5), events: [{ type: 'store.down', startUs: h(3.5) }] },
    ],
    [
      'read from the start of the week: the week cuts it, as the store view does',
      { asOfUs: h(200), fromUs: h(200) - US_PER_WEEK, polls: polls(0, 200, false) },
      { cut: false, state: 'down', sinceUs: h(200) - US_PER_WEEK },
    ],
  ])('%s', (_name, input, expected) => {
    expect(evaluateStore({ ...base, polls: [], ...input })).toMatchObject(expected);
  });
});
