import { BUSINESS_HOURS_FEED, POLLS_FEED, TIMEZONES_FEED } from '../ingestion/utils/feed-specs.util';
import {
  DEFAULT_FEED_OPTIONS,
  pollCsvChunks,
  resolveFeedOptions,
  synthesizeFeedText,
  synthesizeStores,
} from './synthetic-feed.util';

const US_PER_HOUR = 3_600_000_000;
const US_PER_DAY = 24 * US_PER_HOUR;

/** Data rows of a CSV text (no header), split on commas (the generated files have no quoting). */
function rows(csv: string): string[][] {
  return csv
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

const SMALL = { stores: 400, days: 9, seed: 'spec' };
const small = synthesizeFeedText(SMALL);
const polls = rows(small.polls);
const hours = rows(small.businessHours);
const zones = rows(small.timezones);
const endUs = Date.parse(DEFAULT_FEED_OPTIONS.end) * 1000;

const pollsByStore = new Map<string, Array<{ tUs: number; active: boolean }>>();
for (const [id, status, ts] of polls) {
  const tUs = POLLS_FEED.parse([id, status, ts]);
  if (typeof tUs === 'string') throw new Error(tUs);
  const list = pollsByStore.get(id) ?? [];
  list.push({ tUs: tUs.timestampUs, active: tUs.active });
  pollsByStore.set(id, list);
}
for (const list of pollsByStore.values()) list.sort((a, b) => a.tUs - b.tUs);
const hoursByStore = new Map<string, string[][]>();
for (const r of hours) hoursByStore.set(r[0], [...(hoursByStore.get(r[0]) ?? []), r]);
const zoneOf = new Map(zones.map(([id, zone]) => [id, zone]));
const allIds = new Set([...pollsByStore.keys(), ...hoursByStore.keys(), ...zoneOf.keys()]);

describe('synthetic feeds', () => {
  describe('determinism', () => {
    it.each([
      ['polls', 'polls'],
      ['business hours', 'businessHours'],
      ['timezones', 'timezones'],
    ] as const)('the same seed gives the same bytes (%s)', (_name, key) => {
      expect(synthesizeFeedText(SMALL)[key]).toBe(small[key]);
    });

    it('another seed gives other data', () => {
      const other = synthesizeFeedText({ ...SMALL, seed: 'other' });
      expect(other.polls).not.toBe(small.polls);
      expect(other.timezones).not.toBe(small.timezones);
    });

    it('a larger data set holds the stores of a smaller one (profiles depend on the store index only)', () => {
      const few = synthesizeStores(resolveFeedOptions({ ...SMALL, stores: 50 }));
      const many = synthesizeStores(resolveFeedOptions(SMALL));
      expect(many.slice(0, 50)).toEqual(few);
    });

    it('windows agree: 2 weeks = the older week (skipLastDays) + the last week, row for row', () => {
      const base = { stores: 60, seed: 7 };
      const lines = (csv: string) => csv.split('\n').slice(1).filter(Boolean).sort();
      const twoWeeks = lines(synthesizeFeedText({ ...base, days: 14 }).polls);
      const lastWeek = lines(synthesizeFeedText({ ...base, days: 7 }).polls);
      const olderWeek = lines(synthesizeFeedText({ ...base, days: 14, skipLastDays: 7 }).polls);
      expect(lastWeek.length).toBeGreaterThan(0);
      expect(olderWeek.length).toBeGreaterThan(0);
      expect([...lastWeek, ...olderWeek].sort()).toEqual(twoWeeks);
    });
  });

  describe('formats', () => {
    it.each([
      ['polls', small.polls, 'store_id,status,timestamp_utc'],
      ['business hours', small.businessHours, 'store_id,dayOfWeek,start_time_local,end_time_local'],
      ['timezones', small.timezones, 'store_id,timezone_str'],
    ])('%s has the real header and ends with a newline', (_name, csv, header) => {
      expect(csv.split('\n')[0]).toBe(header);
      expect(csv.endsWith('\n')).toBe(true);
    });

    it.each([
      ['polls', polls, POLLS_FEED],
      ['business hours', hours, BUSINESS_HOURS_FEED],
      ['timezones', zones, TIMEZONES_FEED],
    ] as const)('every %s row is accepted by the import', (_name, data, spec) => {
      const refused = data.map((r) => spec.parse(r)).filter((p) => typeof p === 'string');
      expect(refused).toEqual([]);
    });

    it('store ids are 19-digit integers above 2^53 or UUIDs, and both kinds occur', () => {
      const numeric = [...allIds].filter((id) => /^[1-9]\d{18}$/.test(id));
      const uuids = [...allIds].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
      expect(numeric.length + uuids.length).toBe(allIds.size);
      expect(numeric.every((id) => BigInt(id) > 2n ** 53n)).toBe(true);
      expect(numeric.length).toBeGreaterThan(allIds.size * 0.7);
      expect(uuids.length).toBeGreaterThan(allIds.size * 0.05);
    });

    it('ids are distinct per store', () => {
      expect(allIds.size).toBe(SMALL.stores);
    });

    it("timestamps have the real feed's form, mostly with 6 fraction digits", () => {
      const form = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})? UTC$/;
      expect(polls.every((r) => form.test(r[2]))).toBe(true);
      const withFraction = polls.filter((r) => r[2].includes('.')).length;
      expect(withFraction / polls.length).toBeGreaterThan(0.98);
      expect(withFraction).toBeLessThan(polls.length); // a few whole seconds
      expect(new Set(polls.map((r) => r[1]))).toEqual(new Set(['active', 'inactive']));
    });

    it('every poll lies within the window [end - days, end)', () => {
      const times = [...pollsByStore.values()].flat().map((p) => p.tUs);
      expect(times.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(endUs - SMALL.days * US_PER_DAY);
      expect(times.reduce((a, b) => Math.max(a, b))).toBeLessThan(endUs);
    });

    it('times of day are HH:MM:SS', () => {
      expect(hours.every((r) => /^\d{2}:\d{2}:\d{2}$/.test(r[2]) && /^\d{2}:\d{2}:\d{2}$/.test(r[3]))).toBe(true);
    });
  });

  describe('variety', () => {
    const countStores = (pred: (id: string) => boolean) => [...allIds].filter(pred).length;
    const dayRows = (id: string, day: string) => (hoursByStore.get(id) ?? []).filter((r) => r[1] === day);

    it.each<[string, () => number]>([
      ['overnight rows (end before start)', () => hours.filter((r) => r[3] < r[2] && r[2] !== r[3]).length],
      ['24-hour rows (00:00:00-23:59:59)', () => hours.filter((r) => r[2] === '00:00:00' && r[3] === '23:59:59').length],
      ['24-hour rows (equal start and end)', () => hours.filter((r) => r[2] === r[3]).length],
      [
        'split days (two disjoint rows on a day)',
        () => countStores((id) => ['0', '1', '2', '3', '4', '5', '6'].some((d) => {
          const [a, b] = dayRows(id, d);
          return b !== undefined && a[3] < b[2];
        })),
      ],
      [
        'overlapping rows on a day',
        () => countStores((id) => ['0', '1', '2', '3', '4', '5', '6'].some((d) => {
          const [a, b] = dayRows(id, d);
          return b !== undefined && b[2] < a[3];
        })),
      ],
      ['closed days (stores with hours on some days only)', () => countStores((id) => hoursByStore.has(id) && new Set(hoursByStore.get(id)!.map((r) => r[1])).size < 7)],
      ['stores without business hours', () => countStores((id) => !hoursByStore.has(id))],
      ['stores without a zone', () => countStores((id) => !zoneOf.has(id))],
      ['stores with no poll (known from hours or zone)', () => countStores((id) => !pollsByStore.has(id))],
      ['stores with a single poll', () => countStores((id) => pollsByStore.get(id)?.length === 1)],
      [
        'stores whose feed stops a day or more before the end',
        () => countStores((id) => {
          const list = pollsByStore.get(id);
          return list !== undefined && list.length > 1 && list[list.length - 1].tUs < endUs - US_PER_DAY;
        }),
      ],
      [
        'outages of a few hours (inactive polls spanning 1 h or more)',
        () => countStores((id) => {
          const list = pollsByStore.get(id) ?? [];
          let runStart = -1;
          for (const p of list) {
            if (p.active) runStart = -1;
            else if (runStart < 0) runStart = p.tUs;
            else if (p.tUs - runStart >= US_PER_HOUR) return true;
          }
          return false;
        }),
      ],
      ['exact duplicate poll rows', () => polls.length - new Set(polls.map((r) => r.join(','))).size],
    ])('has %s', (_what, count) => {
      expect(count()).toBeGreaterThan(0);
    });

    it('zones span the US with and without DST, and a few abroad', () => {
      const used = new Set(zoneOf.values());
      for (const zone of ['America/Chicago', 'America/New_York', 'America/Los_Angeles', 'America/Denver', 'America/Phoenix']) {
        expect(used).toContain(zone);
      }
      expect([...used].some((z) => !z.startsWith('America/'))).toBe(true);
    });

    it('most polls are active, but not all', () => {
      const active = polls.filter((r) => r[1] === 'active').length / polls.length;
      expect(active).toBeGreaterThan(0.8);
      expect(active).toBeLessThan(0.99);
    });
  });

  describe('sizes', () => {
    it.each([
      // stores, days, interval (min): expected ≈ stores × days × 1440 / interval × 0.93
      [200, 11, 36],
      [100, 7, 60],
      [50, 30, 36],
    ])('%i stores × %i days, a poll every %i min: about the expected row count', (stores, days, intervalMinutes) => {
      const { stats } = synthesizeFeedText({ stores, days, intervalMinutes, seed: 3 });
      const expected = ((stores * days * 1440) / intervalMinutes) * 0.93;
      expect(stats.polls.rows).toBeGreaterThan(expected * 0.9);
      expect(stats.polls.rows).toBeLessThan(expected * 1.1);
      expect(stats.businessHours.rows).toBeGreaterThan(stores * 7);
      expect(stats.businessHours.rows).toBeLessThan(stores * 9);
      expect(stats.timezones.rows).toBeGreaterThan(stores * 0.85);
      expect(stats.timezones.rows).toBeLessThan(stores * 0.97);
    });

    it("the defaults scale to the real feed's size (1.85 M polls, ~35 k hours rows)", () => {
      // A tenth of the stores; the default gives ten times these counts.
      const { stats } = synthesizeFeedText({ stores: DEFAULT_FEED_OPTIONS.stores / 10 });
      expect(stats.polls.rows * 10).toBeGreaterThan(1_750_000);
      expect(stats.polls.rows * 10).toBeLessThan(1_950_000);
      expect(stats.businessHours.rows * 10).toBeGreaterThan(32_000);
      expect(stats.businessHours.rows * 10).toBeLessThan(40_000);
    });

    it('polls of a normal store come about every interval, in time order within the file hour by hour', () => {
      const { polls: csv } = synthesizeFeedText({ stores: 20, days: 5, intervalMinutes: 60, seed: 9 });
      const times = new Map<string, number[]>();
      for (const [id, status, ts] of rows(csv)) {
        const p = POLLS_FEED.parse([id, status, ts]);
        if (typeof p === 'string') throw new Error(p);
        times.set(id, [...(times.get(id) ?? []), p.timestampUs]);
      }
      const gaps = [...times.values()]
        .filter((t) => t.length > 50)
        .flatMap((t) => t.slice(1).map((x, i) => x - t[i]))
        .sort((a, b) => a - b);
      const median = gaps[Math.floor(gaps.length / 2)] / 60e6;
      expect(median).toBeGreaterThan(50);
      expect(median).toBeLessThan(70);
      expect(gaps[0]).toBeGreaterThanOrEqual(0); // each store's polls are in time order in the file
    });
  });

  describe('streaming', () => {
    it('yields the polls as many bounded chunks, not one string', () => {
      const options = resolveFeedOptions({ stores: 100, days: 3 });
      let chunks = 0;
      let largest = 0;
      const gen = pollCsvChunks(options);
      for (let next = gen.next(); !next.done; next = gen.next()) {
        chunks++;
        largest = Math.max(largest, next.value.length);
      }
      expect(chunks).toBeGreaterThanOrEqual(3 * 24);
      // One hour of 100 stores at a poll per ~36 min: a few hundred rows at most.
      expect(largest).toBeLessThan(400 * 64);
    });

    it('refuses impossible options with a clear message', () => {
      expect(() => resolveFeedOptions({ days: 0 })).toThrow(/--days/);
      expect(() => resolveFeedOptions({ stores: -1 })).toThrow(/--stores/);
      expect(() => resolveFeedOptions({ end: 'yesterday' })).toThrow(/--end/);
    });
  });
});
