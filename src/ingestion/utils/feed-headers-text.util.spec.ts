import { BUSINESS_HOURS_FEED, POLLS_FEED, TIMEZONES_FEED } from './feed-specs.util';
import { feedHeadersText } from './feed-headers-text.util';

describe('feedHeadersText', () => {
  it.each([
    [[POLLS_FEED], 'polls (store_id, status, timestamp_utc)'],
    [[BUSINESS_HOURS_FEED], 'business hours (store_id, dayOfWeek or day, start_time_local, end_time_local)'],
    [
      [POLLS_FEED, BUSINESS_HOURS_FEED, TIMEZONES_FEED],
      'polls (store_id, status, timestamp_utc), business hours (store_id, dayOfWeek or day, start_time_local, end_time_local), ' +
        'timezones (store_id, timezone_str)',
    ],
  ])('%#: %s', (specs, text) => expect(feedHeadersText(specs)).toBe(text));
});
