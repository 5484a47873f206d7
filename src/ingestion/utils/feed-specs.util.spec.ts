import { BUSINESS_HOURS_FEED, mapHeader, POLLS_FEED, TIMEZONES_FEED } from './feed-specs.util';

describe('mapHeader', () => {
  it.each([
    [POLLS_FEED, ['store_id', 'status', 'timestamp_utc'], [0, 1, 2]],
    [POLLS_FEED, ['\uFEFFtimestamp_utc', ' status ', 'extra', 'store_id'], [3, 1, 0]],
    [BUSINESS_HOURS_FEED, ['store_id', 'day', 'start_time_local', 'end_time_local'], [0, 1, 2, 3]],
    [BUSINESS_HOURS_FEED, ['end_time_local', 'dayOfWeek', 'store_id', 'start_time_local'], [2, 1, 3, 0]],
    [TIMEZONES_FEED, ['timezone_str', 'store_id'], [1, 0]],
  ])('%#: finds the columns by name', (spec, header, positions) => {
    expect(mapHeader(spec, header)).toEqual(positions);
  });

  it.each([
    [
      POLLS_FEED,
      ['store_id', 'state', 'timestamp_utc'],
      'polls file header lacks required column(s) "status" (found: store_id, state, timestamp_utc)',
    ],
    [
      BUSINESS_HOURS_FEED,
      ['store_id', 'start_time_local', 'end_time_local'],
      'business_hours file header lacks required column(s) "dayOfWeek" or "day" (found: store_id, start_time_local, end_time_local)',
    ],
    [
      TIMEZONES_FEED,
      ['Store_ID', 'timezone_str'],
      'timezones file header lacks required column(s) "store_id" (found: Store_ID, timezone_str)',
    ],
    [
      POLLS_FEED,
      ['store_id', 'status', 'timestamp_utc', 'status'],
      'polls file header names column(s) "status" more than once (found: store_id, status, timestamp_utc, status)',
    ],
    [
      BUSINESS_HOURS_FEED,
      ['store_id', 'day', 'dayOfWeek', 'start_time_local', 'end_time_local'],
      'business_hours file header names column(s) "dayOfWeek" or "day" more than once (found: store_id, day, dayOfWeek, start_time_local, end_time_local)',
    ],
  ])('%#: refuses a header without a required column, or with one twice', (spec, header, message) => {
    expect(mapHeader(spec, header)).toBe(message);
  });
});

describe('row parsers', () => {
  it.each([
    [
      POLLS_FEED,
      ['1', 'Active', '2023-01-01 00:00:00 UTC'],
      { storeId: '1', active: true, timestampUs: Date.parse('2023-01-01T00:00:00Z') * 1000 },
    ],
    [
      POLLS_FEED,
      ['1', 'INACTIVE', '2023-01-01 00:00:00 UTC'],
      { storeId: '1', active: false, timestampUs: Date.parse('2023-01-01T00:00:00Z') * 1000 },
    ],
    [BUSINESS_HOURS_FEED, ['1', '6', '22:00', '02:00'], { storeId: '1', dayOfWeek: 6, startSec: 79200, endSec: 7200 }],
    [TIMEZONES_FEED, ['1', 'Asia/Kathmandu'], { storeId: '1', timezone: 'Asia/Kathmandu' }],
    // a link is stored as the zone it names
    [TIMEZONES_FEED, ['1', 'US/Central'], { storeId: '1', timezone: 'America/Chicago' }],
    [TIMEZONES_FEED, ['1', 'Asia/Calcutta'], { storeId: '1', timezone: 'Asia/Kolkata' }],
  ])('%#: parses a good row', (spec, values, row) => {
    expect((spec.parse as (v: string[]) => unknown)(values)).toEqual(row);
  });

  it.each([
    [BUSINESS_HOURS_FEED, ['1', '-1', '09:00', '17:00'], 'dayOfWeek must be 0 (Monday) to 6 (Sunday)'],
    [BUSINESS_HOURS_FEED, ['1', '1.0', '09:00', '17:00'], 'dayOfWeek must be 0 (Monday) to 6 (Sunday)'],
    [TIMEZONES_FEED, ['1', 'America/Nowhere'], 'unknown timezone: America/Nowhere'],
    [TIMEZONES_FEED, ['1', ''], 'unknown timezone: '],
    [TIMEZONES_FEED, ['1', 'america/chicago'], 'unknown timezone: america/chicago (did you mean America/Chicago?)'],
    [TIMEZONES_FEED, ['1', 'Factory'], 'unknown timezone: Factory'],
    [POLLS_FEED, ['1', 'active', '2203-03-04 15:03:57.680822 UTC'], 'timestamp_utc year must be between 1970 and 2099'],
    [POLLS_FEED, ['1', 'active', '0001-03-04 15:03:57 UTC'], 'timestamp_utc year must be between 1970 and 2099'],
  ])('%#: refuses a bad row', (spec, values, reason) => {
    expect((spec.parse as (v: string[]) => unknown)(values)).toBe(reason);
  });
});
