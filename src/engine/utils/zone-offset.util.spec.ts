import { mulberry32 as prng } from '../../common/utils/mulberry32.util';
import { isValidTimeZone, localToUtcMs, zoneOffsetMs } from './zone-offset.util';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (s: string): number => Date.parse(s);

/** Independent oracle: the offset Intl prints with timeZoneName 'longOffset' ("GMT+05:45"). */
const oracleFormats = new Map<string, Intl.DateTimeFormat>();
function oracleOffsetMs(zone: string, utcMs: number): number {
  let fmt = oracleFormats.get(zone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    oracleFormats.set(zone, fmt);
  }
  const text = fmt.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (!m) throw new Error(`unexpected offset ${text}`);
  if (m[1] === undefined) return 0;
  const abs = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -abs : abs;
}

/** Independent oracle: the local wall-clock fields of an instant, as ms on a UTC time line. */
function oracleLocalMs(zone: string, utcMs: number): number {
  return utcMs + oracleOffsetMs(zone, utcMs);
}

const ZONES = [
  'America/Chicago',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Santiago',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
  'UTC',
];

describe('isValidTimeZone', () => {
  it.each([
    ['America/Chicago', true],
    ['Asia/Kathmandu', true],
    ['UTC', true],
    ['US/Central', true],
    ['america/chicago', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['America/Chicago ', false],
    ['Not a zone', false],
  ])('%j → %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
    expect(isValidTimeZone(zone)).toBe(expected); // second call answers from the cache
  });
});

describe('zoneOffsetMs', () => {
  it.each([
    ['America/Chicago', '2023-01-15T12:00:00Z', -6 * HOUR],
    ['America/Chicago', '2023-07-15T12:00:00Z', -5 * HOUR],
    // Spring forward at 2023-03-12T08:00:00Z, fall back at 2023-11-05T07:00:00Z.
    ['America/Chicago', '2023-03-12T07:59:59Z', -6 * HOUR],
    ['America/Chicago', '2023-03-12T07:59:59.999Z', -6 * HOUR],
    ['America/Chicago', '2023-03-12T08:00:00Z', -5 * HOUR],
    ['America/Chicago', '2023-11-05T06:59:59Z', -5 * HOUR],
    ['America/Chicago', '2023-11-05T07:00:00Z', -6 * HOUR],
    ['Asia/Kathmandu', '2023-06-01T00:00:00Z', 5 * HOUR + 45 * MIN],
    ['Asia/Kolkata', '2023-06-01T00:00:00Z', 5 * HOUR + 30 * MIN],
    ['Pacific/Chatham', '2023-01-01T00:00:00Z', 13 * HOUR + 45 * MIN],
    ['Pacific/Chatham', '2023-07-01T00:00:00Z', 12 * HOUR + 45 * MIN],
    // Chatham leaves DST at 2023-04-01T14:00:00Z.
    ['Pacific/Chatham', '2023-04-01T13:59:59Z', 13 * HOUR + 45 * MIN],
    ['Pacific/Chatham', '2023-04-01T14:00:00Z', 12 * HOUR + 45 * MIN],
    // Lord Howe: +11 in summer, +10:30 in winter; DST ends 2023-04-01T15:00:00Z.
    ['Australia/Lord_Howe', '2023-04-01T14:59:59Z', 11 * HOUR],
    ['Australia/Lord_Howe', '2023-04-01T15:00:00Z', 10 * HOUR + 30 * MIN],
    ['Australia/Lord_Howe', '2023-09-30T15:29:59Z', 10 * HOUR + 30 * MIN],
    ['Australia/Lord_Howe', '2023-09-30T15:30:00Z', 11 * HOUR],
    ['America/St_Johns', '2023-01-01T00:00:00Z', -(3 * HOUR + 30 * MIN)],
    ['UTC', '2023-01-01T00:00:00Z', 0],
    // Samoa skipped 2011-12-30 entirely: -10 → +14 at 2011-12-30T10:00:00Z.
    ['Pacific/Apia', '2011-12-30T09:59:59Z', -10 * HOUR],
    ['Pacific/Apia', '2011-12-30T10:00:00Z', 14 * HOUR],
    // Historical local mean time, with seconds.
    ['America/Chicago', '1850-01-01T00:00:00Z', -(5 * HOUR + 50 * MIN + 36_000)],
  ])('%s at %s', (zone, at, expected) => {
    expect(zoneOffsetMs(zone, iso(at))).toBe(expected);
  });

  it('agrees with an independent Intl oracle on 1500 random instants (1970–2040)', () => {
    const rand = prng(42);
    const lo = iso('1970-01-01T00:00:00Z');
    const hi = iso('2040-01-01T00:00:00Z');
    for (let n = 0; n < 1500; n++) {
      const zone = ZONES[Math.floor(rand() * ZONES.length)];
      const t = Math.floor(lo + rand() * (hi - lo));
      expect([zone, t, zoneOffsetMs(zone, t)]).toEqual([zone, t, oracleOffsetMs(zone, t)]);
    }
  });

  it('is exact at every transition of 2020–2025, to the millisecond', () => {
    let transitions = 0;
    for (const zone of ZONES) {
      // Find transitions independently: day by day, then the quarter hour within the day
      // (transitions fall on a quarter hour in these zones and years); check 1 ms either side.
      let prev = oracleOffsetMs(zone, iso('2020-01-01T00:00:00Z'));
      for (let day = iso('2020-01-01T00:00:00Z'); day < iso('2026-01-01T00:00:00Z'); day += 24 * HOUR) {
        if (oracleOffsetMs(zone, day + 24 * HOUR) === prev) continue;
        for (let t = day + HOUR / 4; t <= day + 24 * HOUR; t += HOUR / 4) {
          const off = oracleOffsetMs(zone, t);
          if (off !== prev) {
            expect([zone, t, zoneOffsetMs(zone, t - 1)]).toEqual([zone, t, prev]);
            expect([zone, t, zoneOffsetMs(zone, t)]).toEqual([zone, t, off]);
            prev = off;
            transitions++;
          }
        }
      }
    }
    expect(transitions).toBeGreaterThan(100); // the scan did find transitions to check
  });

  it('throws RangeError for an unknown zone', () => {
    expect(() => zoneOffsetMs('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });
});

describe('localToUtcMs', () => {
  it.each([
    // Ordinary times.
    ['America/Chicago', 2023, 1, 15, 45296, '2023-01-15T18:34:56Z'],
    ['Europe/London', 2023, 7, 1, 32400, '2023-07-01T08:00:00Z'],
    ['Asia/Kolkata', 2023, 1, 1, 0, '2022-12-31T18:30:00Z'],
    ['America/New_York', 2024, 2, 29, 86399, '2024-03-01T04:59:59Z'],
    ['UTC', 2023, 6, 15, 3600, '2023-06-15T01:00:00Z'],
    ['Asia/Kathmandu', 2023, 6, 1, 43200, '2023-06-01T06:15:00Z'],
    ['Asia/Kathmandu', 2023, 12, 31, 0, '2023-12-30T18:15:00Z'],
    // Chicago spring forward 2023-03-12: 02:00–03:00 does not exist, moved 1 h later.
    ['America/Chicago', 2023, 3, 12, 7199, '2023-03-12T07:59:59Z'],
    ['America/Chicago', 2023, 3, 12, 7200, '2023-03-12T08:00:00Z'],
    ['America/Chicago', 2023, 3, 12, 9000, '2023-03-12T08:30:00Z'],
    ['America/Chicago', 2023, 3, 12, 10800, '2023-03-12T08:00:00Z'],
    // Chicago fall back 2023-11-05: 01:00–02:00 occurs twice, the earlier (CDT) wins.
    ['America/Chicago', 2023, 11, 5, 3600, '2023-11-05T06:00:00Z'],
    ['America/Chicago', 2023, 11, 5, 5400, '2023-11-05T06:30:00Z'],
    ['America/Chicago', 2023, 11, 5, 7199, '2023-11-05T06:59:59Z'],
    ['America/Chicago', 2023, 11, 5, 7200, '2023-11-05T08:00:00Z'],
    // Lord Howe, 30-minute DST: 01:30–02:00 repeated on 2023-04-02, 02:00–02:30 skipped on 2023-10-01.
    ['Australia/Lord_Howe', 2023, 4, 2, 5400, '2023-04-01T14:30:00Z'],
    ['Australia/Lord_Howe', 2023, 4, 2, 6300, '2023-04-01T14:45:00Z'],
    ['Australia/Lord_Howe', 2023, 4, 2, 7200, '2023-04-01T15:30:00Z'],
    ['Australia/Lord_Howe', 2023, 10, 1, 7200, '2023-09-30T15:30:00Z'],
    ['Australia/Lord_Howe', 2023, 10, 1, 8100, '2023-09-30T15:45:00Z'],
    ['Australia/Lord_Howe', 2023, 10, 1, 9000, '2023-09-30T15:30:00Z'],
    ['Australia/Lord_Howe', 2023, 7, 1, 43200, '2023-07-01T01:30:00Z'],
    // Chatham: +13:45 / +12:45; 02:45–03:45 skipped on 2023-09-24, repeated on 2023-04-02.
    ['Pacific/Chatham', 2023, 1, 10, 43200, '2023-01-09T22:15:00Z'],
    ['Pacific/Chatham', 2023, 7, 10, 43200, '2023-07-09T23:15:00Z'],
    ['Pacific/Chatham', 2023, 9, 24, 10800, '2023-09-23T14:15:00Z'],
    ['Pacific/Chatham', 2023, 4, 2, 10800, '2023-04-01T13:15:00Z'],
    // 86400 = next midnight (also across a DST change and a year end).
    ['America/Chicago', 2023, 3, 11, 86400, '2023-03-12T06:00:00Z'],
    ['America/Chicago', 2023, 12, 31, 86400, '2024-01-01T06:00:00Z'],
    // A whole skipped day (Samoa) and a skipped midnight (Brazil, 2018).
    ['Pacific/Apia', 2011, 12, 29, 43200, '2011-12-29T22:00:00Z'],
    ['Pacific/Apia', 2011, 12, 30, 43200, '2011-12-30T22:00:00Z'],
    ['America/Sao_Paulo', 2018, 11, 4, 0, '2018-11-04T03:00:00Z'],
    ['Europe/Berlin', 2023, 3, 26, 9000, '2023-03-26T01:30:00Z'],
    ['Europe/Berlin', 2023, 10, 29, 9000, '2023-10-29T00:30:00Z'],
  ])('%s %i-%i-%i +%is → %s', (zone, y, m, d, sec, expected) => {
    expect(localToUtcMs(zone, y, m, d, sec)).toBe(iso(expected));
  });

  it("agrees with a brute-force oracle of 'compatible' on 2000 random times near DST changes", () => {
    const rand = prng(7);
    const changes = [
      '2023-03-12',
      '2023-11-05',
      '2023-03-26',
      '2023-10-29',
      '2023-04-02',
      '2023-10-01',
      '2023-09-24',
      '2024-04-07',
      '2024-09-08',
      '2022-09-04',
    ].map((d) => iso(`${d}T00:00:00Z`) / 86_400_000);
    for (let n = 0; n < 2000; n++) {
      const zone = ZONES[Math.floor(rand() * ZONES.length)];
      const day = changes[Math.floor(rand() * changes.length)] + Math.floor(rand() * 3) - 1;
      const sec = Math.floor(rand() * 96) * 900 + (rand() < 0.2 ? Math.floor(rand() * 900) : 0);
      const date = new Date(day * 86_400_000);
      const local = day * 86_400_000 + sec * 1000;
      // Every instant whose wall clock reads `local` (offsets are quarter hours here).
      const hits: number[] = [];
      for (let off = -14 * HOUR; off <= 14 * HOUR; off += 15 * MIN) {
        if (oracleLocalMs(zone, local - off) === local) hits.push(local - off);
      }
      let expected: number;
      if (hits.length > 0) {
        expected = Math.min(...hits);
      } else {
        // Gap: read with the offset in force just before the jump.
        const before = oracleOffsetMs(zone, local - 14 * HOUR - 3 * HOUR);
        expected = local - before;
        // ...which lands later on the wall clock by the length of the jump.
        expect(oracleLocalMs(zone, expected) - local).toBe(oracleOffsetMs(zone, expected) - before);
      }
      const got = localToUtcMs(zone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), sec);
      expect([zone, day, sec, got]).toEqual([zone, day, sec, expected]);
    }
  });
});
