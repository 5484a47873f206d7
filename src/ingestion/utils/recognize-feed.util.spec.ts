import { recognizeFeed } from './recognize-feed.util';

describe('recognizeFeed', () => {
  it.each([
    [['store_id', 'status', 'timestamp_utc'], 'polls'],
    [['\uFEFFtimestamp_utc ', ' status', 'store_id'], 'polls'],
    [['store_id', 'dayOfWeek', 'start_time_local', 'end_time_local'], 'business_hours'],
    [['store_id', 'day', 'start_time_local', 'end_time_local'], 'business_hours'],
    [['store_id', 'timezone_str'], 'timezones'],
    [['store_id', 'timezone_str', 'extra'], 'timezones'],
    [['store_id', 'status'], null],
    [['a', 'b', 'c'], null],
    [[], null],
    // all three feeds' columns in one header: ambiguous
    [['store_id', 'status', 'timestamp_utc', 'timezone_str'], null],
  ])('%j → %s', (header, feed) => {
    expect(recognizeFeed(header)).toBe(feed);
  });
});
