import {
  clipTo,
  dayRows,
  formatDuration,
  formatLocal,
  formatUtc,
  instantMs,
  localParts,
  wallInstant,
  zoneOffsetMinutes,
} from '../../web/src/time';

/**
 * The owner's page's time rules (web/src/time.ts), run by jest in Node as in the browser: they
 * use the store's zone by name, never the process's (this suite runs again in Pacific/Chatham).
 */
const utc = (iso: string) => Date.parse(iso);
const at = (u: string, local: string) => ({ utc: u, local });

describe("the owner's page: time", () => {
  it.each([
    ['2023-03-12T08:00:00.000000Z', utc('2023-03-12T08:00:00Z')],
    ['2023-03-12T03:00:00.000000-05:00', utc('2023-03-12T08:00:00Z')],
    ['2023-03-13T01:45:00+05:45', utc('2023-03-12T20:00:00Z')],
    ['2023-03-12T08:00:00.000500Z', utc('2023-03-12T08:00:00Z') + 0.5],
    ['2023-03-12T08:00:00.25Z', utc('2023-03-12T08:00:00.250Z')],
  ])('instantMs(%s)', (iso, ms) => {
    expect(instantMs(iso)).toBeCloseTo(ms, 6);
  });

  it.each([
    [0, '0 s'],
    [59.4, '59 s'],
    [60, '1 min'],
    [3599, '59 min'],
    [3600, '1 h 00 min'],
    [7500, '2 h 05 min'],
    [47 * 3600 + 59 * 60, '47 h 59 min'],
    [48 * 3600, '2 d 0 h'],
    [100 * 3600, '4 d 4 h'],
  ])('formatDuration(%s) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    ['2023-03-12T03:00:00.000000-06:00', 'Sun 12 Mar 2023 03:00 (UTC−06:00)'],
    ['2023-03-13T01:45:00.000000+13:45', 'Mon 13 Mar 2023 01:45 (UTC+13:45)'],
    ['2023-03-13T14:58:45.761313+00:00', 'Mon 13 Mar 2023 14:58 (UTC+00:00)'],
  ])('formatLocal(%s)', (local, text) => {
    expect(formatLocal(local)).toBe(text);
  });

  it('formatUtc and localParts read the strings as written', () => {
    expect(formatUtc('2023-03-13T14:58:45.761313Z')).toBe('2023-03-13 14:58 UTC');
    expect(localParts('2023-03-12T23:30:00.000000-05:00')).toEqual({
      date: '2023-03-12',
      time: '23:30',
      offset: '-05:00',
      weekday: 'Sun',
    });
  });

  it.each([
    ['America/Denver', '2023-03-10T12:00:00Z', -420],
    ['America/Denver', '2023-03-12T09:00:00Z', -360],
    ['Pacific/Chatham', '2023-03-12T00:00:00Z', 825],
    ['Asia/Kathmandu', '2023-03-12T00:00:00Z', 345],
    ['Australia/Lord_Howe', '2023-04-02T15:00:00Z', 630],
  ])('zoneOffsetMinutes(%s, %s) = %s', (zone, instant, minutes) => {
    expect(zoneOffsetMinutes(zone, utc(instant))).toBe(minutes);
  });

  it.each([
    ['a plain hour', 'America/Denver', '2023-03-10', 9, '2023-03-10T16:00:00Z'],
    ['a time skipped by the jump forward: moved later by the jump', 'America/Denver', '2023-03-12', 2, '2023-03-12T09:00:00Z'],
    ['the hour after the jump', 'America/Denver', '2023-03-12', 3, '2023-03-12T09:00:00Z'],
    ['a time that occurs twice: the earlier', 'America/Denver', '2023-11-05', 1, '2023-11-05T07:00:00Z'],
    ['a midnight skipped (Santiago jumps at 00:00)', 'America/Santiago', '2022-09-11', 0, '2022-09-11T04:00:00Z'],
  ])('wallInstant: %s', (_name, zone, date, hour, instant) => {
    expect(wallInstant(zone, date, hour)).toBe(utc(instant));
  });

  it.each([
    {
      name: 'the US spring change: 8 rows, 12 March 23 hours',
      zone: 'America/Denver',
      week: {
        start: at('2023-03-06T15:00:00.000000Z', '2023-03-06T08:00:00.000000-07:00'),
        end: at('2023-03-13T15:00:00.000000Z', '2023-03-13T09:00:00.000000-06:00'),
      },
      dates: ['2023-03-06', '2023-03-07', '2023-03-08', '2023-03-09', '2023-03-10', '2023-03-11', '2023-03-12', '2023-03-13'],
      hours: [24, 24, 24, 24, 24, 24, 23, 24],
      change: { date: '2023-03-12', at: '2023-03-12T09:00:00Z', from: -420, to: -360 },
    },
    {
      name: 'the US autumn change: 5 November 25 hours',
      zone: 'America/Denver',
      week: {
        start: at('2023-11-01T15:00:00.000000Z', '2023-11-01T09:00:00.000000-06:00'),
        end: at('2023-11-08T15:00:00.000000Z', '2023-11-08T08:00:00.000000-07:00'),
      },
      dates: ['2023-11-01', '2023-11-02', '2023-11-03', '2023-11-04', '2023-11-05', '2023-11-06', '2023-11-07', '2023-11-08'],
      hours: [24, 24, 24, 24, 25, 24, 24, 24],
      change: { date: '2023-11-05', at: '2023-11-05T08:00:00Z', from: -360, to: -420 },
    },
    {
      name: 'a week ending at local midnight: seven whole days',
      zone: 'Pacific/Chatham',
      week: {
        start: at('2023-03-05T10:15:00.000000Z', '2023-03-06T00:00:00.000000+13:45'),
        end: at('2023-03-12T10:15:00.000000Z', '2023-03-13T00:00:00.000000+13:45'),
      },
      dates: ['2023-03-06', '2023-03-07', '2023-03-08', '2023-03-09', '2023-03-10', '2023-03-11', '2023-03-12'],
      hours: [24, 24, 24, 24, 24, 24, 24],
      change: null,
    },
    {
      name: 'a half-hour change (Lord Howe Island): 24.5 hours',
      zone: 'Australia/Lord_Howe',
      week: {
        start: at('2023-03-30T13:00:00.000000Z', '2023-03-31T00:00:00.000000+11:00'),
        end: at('2023-04-03T13:30:00.000000Z', '2023-04-04T00:00:00.000000+10:30'),
      },
      dates: ['2023-03-31', '2023-04-01', '2023-04-02', '2023-04-03'],
      hours: [24, 24, 24.5, 24],
      change: { date: '2023-04-02', at: '2023-04-01T15:00:00Z', from: 660, to: 630 },
    },
  ])('dayRows: $name', ({ zone, week, dates, hours, change }) => {
    const rows = dayRows(week, zone);
    expect(rows.map((r) => r.date)).toEqual(dates);
    expect(rows.map((r) => (r.end - r.start) / 3_600_000)).toEqual(hours);
    // The rows tile the week exactly.
    expect(rows[0].within.start).toBe(instantMs(week.start.utc));
    expect(rows[rows.length - 1].within.end).toBe(instantMs(week.end.utc));
    rows.slice(1).forEach((row, i) => expect(row.start).toBe(rows[i].end));
    const changed = rows.filter((r) => r.change !== null);
    expect(
      changed.map((r) => ({
        date: r.date,
        at: new Date(r.change!.at).toISOString().replace('.000', ''),
        from: r.change!.from,
        to: r.change!.to,
      })),
    ).toEqual(change === null ? [] : [change]);
  });

  it('clipTo splits overnight hours at local midnight and drops what is outside', () => {
    const rows = dayRows(
      {
        start: at('2023-03-11T06:00:00.000000Z', '2023-03-11T00:00:00.000000-06:00'),
        end: at('2023-03-13T05:00:00.000000Z', '2023-03-13T00:00:00.000000-05:00'),
      },
      'America/Chicago',
    );
    const night = {
      start: at('2023-03-12T03:00:00.000000Z', '2023-03-11T21:00:00.000000-06:00'),
      end: at('2023-03-12T09:00:00.000000Z', '2023-03-12T04:00:00.000000-05:00'),
    };
    const parts = rows.map((row) =>
      clipTo([night], row.within).map((p) => [new Date(p.start).toISOString(), new Date(p.end).toISOString()]),
    );
    expect(parts).toEqual([
      [['2023-03-12T03:00:00.000Z', '2023-03-12T06:00:00.000Z']],
      [['2023-03-12T06:00:00.000Z', '2023-03-12T09:00:00.000Z']],
    ]);
    expect(rows.map((r) => (r.end - r.start) / 3_600_000)).toEqual([24, 23]);
  });
});
