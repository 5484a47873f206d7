import { formatFeedTimestamp } from './format-feed-timestamp.util';

describe('formatFeedTimestamp', () => {
  it.each<[string, number, string]>([
    ['the epoch', 0, '1970-01-01 00:00:00 UTC'],
    ["the real feed's example", 1677942237680822, '2023-03-04 15:03:57.680822 UTC'],
    ['a whole second has no fraction', 1677942237000000, '2023-03-04 15:03:57 UTC'],
    ['a fraction keeps its leading zeros', 1677942237000005, '2023-03-04 15:03:57.000005 UTC'],
    ['the last µs before the default end', 1678816799999999, '2023-03-14 17:59:59.999999 UTC'],
    ['a leap day', 951782400000000, '2000-02-29 00:00:00 UTC'],
    ['the last µs of a day', 86399999999, '1970-01-01 23:59:59.999999 UTC'],
    ['before the epoch', -1, '1969-12-31 23:59:59.999999 UTC'],
  ])('%s: %i µs → %s', (_name, us, expected) => {
    expect(formatFeedTimestamp(us)).toBe(expected);
  });
});
