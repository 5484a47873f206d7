import { formatLocalInstantUs } from './format-local-instant.util';

const at = (iso: string, micros = 0) => Date.parse(iso) * 1000 + micros;

describe('formatLocalInstantUs', () => {
  it.each<[string, number, string]>([
    ['UTC', at('2023-01-02T10:44:30Z'), '2023-01-02T10:44:30.000000+00:00'],
    ['America/Chicago', at('2023-01-02T15:00:00Z', 388884), '2023-01-02T09:00:00.388884-06:00'],
    // Spring forward 2023-03-12 at 08:00Z: 01:59:59 CST, then 03:00 CDT.
    ['America/Chicago', at('2023-03-12T07:59:59Z', 999999), '2023-03-12T01:59:59.999999-06:00'],
    ['America/Chicago', at('2023-03-12T08:00:00Z'), '2023-03-12T03:00:00.000000-05:00'],
    // Fall back 2023-11-05: 01:30 happens twice, the offset tells which.
    ['America/Chicago', at('2023-11-05T06:30:00Z'), '2023-11-05T01:30:00.000000-05:00'],
    ['America/Chicago', at('2023-11-05T07:30:00Z'), '2023-11-05T01:30:00.000000-06:00'],
    ['Asia/Kathmandu', at('2023-01-02T03:15:00Z'), '2023-01-02T09:00:00.000000+05:45'],
    ['Pacific/Chatham', at('2023-01-01T19:15:00Z'), '2023-01-02T09:00:00.000000+13:45'],
    ['America/St_Johns', at('2023-01-01T00:00:00Z'), '2022-12-31T20:30:00.000000-03:30'],
    // A midpoint's half microsecond is dropped, as in the UTC form.
    ['Europe/London', at('2023-07-01T08:00:00Z', 10.5), '2023-07-01T09:00:00.000010+01:00'],
    // Local mean time before standard time: an offset with seconds.
    ['America/Chicago', at('1850-01-01T12:00:00Z'), '1850-01-01T06:09:24.000000-05:50:36'],
  ])('%s %d → %s', (zone, us, expected) => {
    expect(formatLocalInstantUs(us, zone)).toBe(expected);
  });

  it('throws RangeError for an unknown zone', () => {
    expect(() => formatLocalInstantUs(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
