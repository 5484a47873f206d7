import { HoursRow, Poll } from '../../engine/utils';
import { StoreViewDto } from '../dto/store-view.dto';
import { storeView, StoreViewInput } from './store-view.util';

const at = (iso: string): number => Date.parse(iso) * 1000;
const row = (dayOfWeek: number, startH: number, endH: number): HoursRow => ({
  dayOfWeek,
  startSec: startH * 3600,
  endSec: endH * 3600,
});
const up = (iso: string): Poll => ({ tsUs: at(iso), active: true });
const down = (iso: string): Poll => ({ tsUs: at(iso), active: false });
const input = (over: Partial<StoreViewInput>): StoreViewInput => ({
  storeId: '18446744073709551615',
  asOfUs: at('2023-01-02T12:00:00Z'),
  hours: [],
  zone: undefined,
  polls: [],
  ...over,
});
/** An interval as the view prints it, in a zone whose offset is fixed over it. */
const iv = (start: string, end: string, offset: string) => {
  const local = (iso: string) => {
    const sign = offset[0] === '-' ? -1 : 1;
    const [h, m] = offset.slice(1).split(':').map(Number);
    const shifted = new Date(Date.parse(iso) + sign * (h * 60 + m) * 60_000).toISOString();
    return `${shifted.slice(0, 19)}.000000${offset}`;
  };
  const utc = (iso: string) => `${iso.slice(0, 19)}.000000Z`;
  return { start: { utc: utc(start), local: local(start) }, end: { utc: utc(end), local: local(end) } };
};

describe('storeView', () => {
  it.each<[string, StoreViewInput, Partial<StoreViewDto>]>([
    [
      'SPEC example: Monday 09:00–12:00 UTC, 10:14 active, 11:15 inactive, as_of 12:00',
      input({
        hours: [row(0, 9, 12)],
        zone: 'UTC',
        polls: [up('2023-01-02T10:14:00Z'), down('2023-01-02T11:15:00Z')],
      }),
      {
        store_id: '18446744073709551615',
        as_of: '2023-01-02T12:00:00.000000Z',
        timezone: 'UTC',
        timezone_is_default: false,
        has_business_hours: true,
        last_poll: '2023-01-02T11:15:00.000000Z',
        uptime_last_hour: 0,
        uptime_last_day: 1.74,
        uptime_last_week: 1.74,
        downtime_last_hour: 60,
        downtime_last_day: 1.26,
        downtime_last_week: 1.26,
        week: iv('2022-12-26T12:00:00Z', '2023-01-02T12:00:00Z', '+00:00'),
        open_intervals: [iv('2023-01-02T09:00:00Z', '2023-01-02T12:00:00Z', '+00:00')],
        segments: [
          { ...iv('2022-12-26T12:00:00Z', '2023-01-02T10:44:30Z', '+00:00'), status: 'active' },
          { ...iv('2023-01-02T10:44:30Z', '2023-01-02T12:00:00Z', '+00:00'), status: 'inactive' },
        ],
        incidents: [{ ...iv('2023-01-02T10:44:30Z', '2023-01-02T12:00:00Z', '+00:00'), duration_minutes: 75.5 }],
        incident_count: 1,
        incident_total_hours: 1.26,
      },
    ],
    [
      'no zone: America/Chicago, flagged as the default; no hours: open all week; no poll: zeros and no segment',
      input({ storeId: 'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099' }),
      {
        store_id: 'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099',
        timezone: 'America/Chicago',
        timezone_is_default: true,
        has_business_hours: false,
        last_poll: null,
        uptime_last_week: 0,
        downtime_last_week: 0,
        open_intervals: [iv('2022-12-26T12:00:00Z', '2023-01-02T12:00:00Z', '-06:00')],
        segments: [],
        incidents: [],
        incident_count: 0,
        incident_total_hours: 0,
      },
    ],
    [
      'a zone unknown to this ICU falls back to the default, as in the report',
      input({ zone: 'Mars/Olympus_Mons', polls: [down('2023-01-02T11:00:00Z')] }),
      { timezone: 'America/Chicago', timezone_is_default: true, downtime_last_week: 168, incident_total_hours: 168 },
    ],
    [
      'the half-µs midpoint of two polls prints its whole microsecond',
      input({ zone: 'UTC', polls: [up('2023-01-02T10:00:00Z'), { tsUs: at('2023-01-02T11:00:00Z') + 1, active: false }] }),
      {
        segments: [
          {
            start: { utc: '2022-12-26T12:00:00.000000Z', local: '2022-12-26T12:00:00.000000+00:00' },
            end: { utc: '2023-01-02T10:30:00.000000Z', local: '2023-01-02T10:30:00.000000+00:00' },
            status: 'active',
          },
          {
            start: { utc: '2023-01-02T10:30:00.000000Z', local: '2023-01-02T10:30:00.000000+00:00' },
            end: { utc: '2023-01-02T12:00:00.000000Z', local: '2023-01-02T12:00:00.000000+00:00' },
            status: 'inactive',
          },
        ],
        incident_total_hours: 1.5,
      },
    ],
  ])('%s', (_name, given, expected) => {
    expect(storeView(given)).toMatchObject(expected);
  });

  it('prints the offset in force at each end of an interval across the spring-forward', () => {
    // Chicago, Sunday 2023-03-12 01:00–05:00 local: 3 real hours, CST to CDT, all inactive.
    const view = storeView(
      input({
        asOfUs: at('2023-03-13T15:00:00Z'),
        hours: [row(6, 1, 5)],
        zone: 'America/Chicago',
        polls: [down('2023-03-12T06:00:00Z'), down('2023-03-12T09:00:00Z'), up('2023-03-12T13:00:00Z')],
      }),
    );
    expect(view.open_intervals).toEqual([
      {
        start: { utc: '2023-03-12T07:00:00.000000Z', local: '2023-03-12T01:00:00.000000-06:00' },
        end: { utc: '2023-03-12T10:00:00.000000Z', local: '2023-03-12T05:00:00.000000-05:00' },
      },
    ]);
    expect(view.incidents).toEqual([{ ...view.open_intervals[0], duration_minutes: 180 }]);
    expect(view).toMatchObject({ downtime_last_week: 3, incident_total_hours: 3, incident_count: 1 });
  });
});
