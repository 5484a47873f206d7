import { parseTimestampUs } from './parse-timestamp-us.util';

const at = (iso: string, micros = 0) => Date.parse(iso) * 1000 + micros;

describe('parseTimestampUs', () => {
  it.each([
    ['2023-01-22 12:09:39.388884 UTC', at('2023-01-22T12:09:39Z', 388884)],
    ['2023-01-22T12:09:39.388884Z', at('2023-01-22T12:09:39Z', 388884)],
    ['2023-01-22 12:09:39.388884Z', at('2023-01-22T12:09:39Z', 388884)],
    ['2023-01-22T12:09:39 UTC', at('2023-01-22T12:09:39Z')],
    ['2023-01-22 12:09:39 utc', at('2023-01-22T12:09:39Z')],
    ['2023-01-22 12:09:39', at('2023-01-22T12:09:39Z')],
    ['2023-01-22T12:09:39.1', at('2023-01-22T12:09:39Z', 100000)],
    ['2023-01-22T12:09:39.12Z', at('2023-01-22T12:09:39Z', 120000)],
    ['2023-01-22T17:39:39+05:30', at('2023-01-22T12:09:39Z')],
    ['2023-01-22T17:39:39.000007+0530', at('2023-01-22T12:09:39Z', 7)],
    ['2023-01-22T04:09:39-08:00', at('2023-01-22T12:09:39Z')],
    ['2023-01-01T00:30:00+01:00', at('2022-12-31T23:30:00Z')],
    ['2024-02-29 00:00:00 UTC', at('2024-02-29T00:00:00Z')],
    ['1970-01-01 00:00:00 UTC', 0],
    ['2023-03-04 15:03:57.000001 UTC', at('2023-03-04T15:03:57Z', 1)],
    ['2023-12-31 23:59:59.999999 UTC', at('2023-12-31T23:59:59Z', 999999)],
    ['2023-03-04 15:03:57.680822 utc', at('2023-03-04T15:03:57Z', 680822)],
    ['2023-03-04 15:03:57.680822UTC', at('2023-03-04T15:03:57Z', 680822)],
    // the years 1970 to 2099, to the microsecond at both ends, in both forms
    ['1970-01-01 00:00:00.000000 UTC', 0],
    ['1970-01-01T01:00:00+01:00', 0],
    ['2099-12-31 23:59:59.999999 UTC', at('2099-12-31T23:59:59Z', 999999)],
    ['2099-12-31 23:59:59 UTC', at('2099-12-31T23:59:59Z')],
    ['2099-12-31T22:59:59.999999-01:00', at('2099-12-31T23:59:59Z', 999999)],
  ])('%s → exact microseconds', (text, expected) => {
    expect(parseTimestampUs(text)).toBe(expected);
  });

  it.each([
    ['', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['yesterday', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-01-22 12:09', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-01-22 12:09:39.1234567 UTC', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-01-22 12:09:39 PST', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-02-29 12:00:00 UTC', 'timestamp_utc has no such date: 2023-02-29'],
    ['2023-04-31 12:00:00 UTC', 'timestamp_utc has no such date: 2023-04-31'],
    ['2023-00-10 12:00:00 UTC', 'timestamp_utc has no such date: 2023-00-10'],
    ['2023-01-22 24:00:00 UTC', 'timestamp_utc has an impossible time of day'],
    ['2023-01-22 12:60:00 UTC', 'timestamp_utc has an impossible time of day'],
    ['2023-01-22 12:00:60 UTC', 'timestamp_utc has an impossible time of day'],
    ['2023-01-22T12:00:00+24:00', 'timestamp_utc has an impossible UTC offset'],
    ['2023-01-22 12:09:39.38888x UTC', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-01-22 12:09:39,388884 UTC', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-1-22 12:09:39.3888845 UTC', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    [' 2023-01-22 12:09:39.388884 UTC', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-01-22 12:09:39.388884 UTC ', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-13-22 12:09:39.388884 UTC', 'timestamp_utc has no such date: 2023-13-22'],
    ['2023-01-22 12:09:60.388884 UTC', 'timestamp_utc has an impossible time of day'],
    // outside 1970–2099: the real feed's form (the fast path) and the others; years below 100
    // were once read by Date.UTC as 19xx
    ['0001-01-01 00:00:00.000000 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['0001-03-04 15:03:57 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['0099-12-31 23:59:59.999999 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['0000-01-01T00:00:00Z', 'timestamp_utc year must be between 1970 and 2099'],
    ['0023-03-04T15:03:57+02:00', 'timestamp_utc year must be between 1970 and 2099'],
    ['1969-12-31 23:59:59.999999 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['2100-01-01 00:00:00 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['2113-06-01 00:00:00.000000 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['2203-03-04 15:03:57.680822 UTC', 'timestamp_utc year must be between 1970 and 2099'],
    ['9999-12-31T23:59:59Z', 'timestamp_utc year must be between 1970 and 2099'],
    // an offset that moves the instant across an end
    ['1970-01-01T00:30:00+01:00', 'timestamp_utc year must be between 1970 and 2099'],
    ['2099-12-31T23:30:00-01:00', 'timestamp_utc year must be between 1970 and 2099'],
    // an impossible date is said first, whatever its year
    ['0001-02-29 00:00:00 UTC', 'timestamp_utc has no such date: 0001-02-29'],
  ])('%j is refused: %s', (text, reason) => {
    expect(parseTimestampUs(text)).toBe(reason);
  });

  it.each([
    [
      'the real form',
      'store-1,active,2023-01-22 12:09:39.388884 UTC',
      'store-1,active,'.length,
      at('2023-01-22T12:09:39Z', 388884),
    ],
    ['without a fraction', 'a,b,2023-01-22 12:09:39 UTC', 4, at('2023-01-22T12:09:39Z')],
    ['another form (the full reading)', 'a,b,2023-01-22T12:09:39Z', 4, at('2023-01-22T12:09:39Z')],
    ['a refused value', 'a,b,2023-02-29 12:00:00 UTC', 4, 'timestamp_utc has no such date: 2023-02-29'],
    [
      'the text before is not read',
      '9999-12-31 23:59:59 UTC,x',
      0,
      'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC',
    ],
  ])('reads from an offset of a line: %s', (_what, line, from, expected) => {
    expect(parseTimestampUs(line, from)).toBe(expected);
  });

  it('equals Date.UTC for instants across 1970-2099 (leap days, month ends, both ends of the range)', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const days = [1, 28, 29, 30, 31];
    for (let i = 0; i < 5000; i++) {
      const year = 1970 + Math.floor(random() * 130);
      const month = 1 + Math.floor(random() * 12);
      const day = i % 2 === 0 ? days[Math.floor(random() * days.length)] : 1 + Math.floor(random() * 31);
      if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) continue; // no such date
      const [h, m, s, us] = [
        Math.floor(random() * 24),
        Math.floor(random() * 60),
        Math.floor(random() * 60),
        Math.floor(random() * 1e6),
      ];
      const text = `${year}-${pad(month)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(s)}.${pad(us, 6)} UTC`;
      expect([text, parseTimestampUs(text)]).toEqual([text, Date.UTC(year, month - 1, day, h, m, s) * 1000 + us]);
    }
  });
});
