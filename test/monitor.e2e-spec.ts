import { readFileSync } from 'node:fs';
import { mulberry32 } from '../src/common/utils/mulberry32.util';
import {
  downtimeIncidents,
  HoursRow,
  openIntervals,
  Poll,
  statusSegments,
  storeZone,
  US_PER_HOUR,
  US_PER_WEEK,
} from '../src/interpolation/utils';
import type { AlertEventDto, AlertEventListDto } from '../src/monitor/dto/alert-event.dto';
import type { BoardDto, BoardStoreDto } from '../src/monitor/dto/board.dto';
import type { StoreViewDto } from '../src/stores/dto/store-view.dto';
import { FIXTURE, postImport, useTestApp } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

/** An instant of the API (`…:SS.ffffffZ`) as whole µs. */
const usOf = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number(iso.slice(20, 26));
const LOOKBACK_US = 24 * US_PER_HOUR;

describe.each(TEST_DATABASES)('live monitor on %s', (kind) => {
  const t = useTestApp(kind, 'monitor');

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${t.base}${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const wholeBoard = async (query = '') => {
    const stores: BoardStoreDto[] = [];
    let cursor: string | null = null;
    let first: BoardDto | undefined;
    do {
      const page: BoardDto = await get<BoardDto>(`/status?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`);
      first ??= page;
      stores.push(...page.stores);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return { ...first!, stores };
  };
  const allEvents = async () => {
    const events: AlertEventDto[] = [];
    let cursor: string | null = null;
    do {
      const page: AlertEventListDto = await get<AlertEventListDto>(`/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      events.push(...page.events);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return events.reverse(); // oldest first
  };
  const importFixture = async () => {
    const files = Object.fromEntries(
      (['polls', 'business_hours', 'timezones'] as const).map((f) => [f, readFileSync(FIXTURE[f])]),
    );
    expect((await postImport(t.base, files)).status).toBe(200);
  };

  it("gives every store the state its store view ends in, down stores longest down first, and announces the view's recent incidents once", async () => {
    await importFixture();
    const board = await wholeBoard();
    expect(board.stores).toHaveLength(40);
    expect(Object.values(board.counts).reduce((a, b) => a + b, 0)).toBe(40);
    expect(board.counts.down).toBeGreaterThan(0);
    expect(board.counts.up).toBeGreaterThan(0);
    expect(board.counts.closed).toBeGreaterThan(0);
    expect(board.counts.no_data).toBeGreaterThan(0);
    const ranks = board.stores.map((s) => ['down', 'up', 'closed', 'no_data'].indexOf(s.state));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const downSince = board.stores.filter((s) => s.state === 'down').map((s) => usOf(s.since!.utc));
    expect(downSince).toEqual([...downSince].sort((a, b) => a - b));

    const asOfUs = usOf(board.as_of);
    const expected = new Map<string, { start: number; end: number }[]>();
    for (const store of board.stores) {
      const view = await get<StoreViewDto>(`/stores/${store.store_id}`);
      expect(view.as_of).toBe(board.as_of);
      const lastSegment = view.segments[view.segments.length - 1];
      const lastOpen = view.open_intervals[view.open_intervals.length - 1];
      const openNow = lastOpen !== undefined && lastOpen.end.utc === view.as_of;
      const state = lastSegment === undefined ? 'no_data' : !openNow ? 'closed' : lastSegment.status === 'active' ? 'up' : 'down';
      expect([store.store_id, store.state]).toEqual([store.store_id, state]);
      const incidents = view.incidents.map((i) => ({ start: usOf(i.start.utc), end: usOf(i.end.utc) }));
      if (state === 'down') {
        expect(store.since!.utc).toBe(view.incidents[view.incidents.length - 1].start.utc);
        expect(store.down_for_s).toBe(Math.floor((asOfUs - incidents[incidents.length - 1].start) / 1e6));
      }
      expected.set(
        store.store_id,
        incidents.filter((i) => i.end >= asOfUs - LOOKBACK_US),
      );
    }

    const events = await allEvents();
    const announced = [...expected].flatMap(([id, incidents]) =>
      incidents.flatMap((i) => [
        `${id} store.down ${i.start}`,
        ...(i.end < asOfUs ? [`${id} store.up ${i.start} ${i.end}`] : []),
      ]),
    );
    const got = events.map((e) =>
      [e.store_id, e.type, usOf(e.incident_start.utc), ...(e.incident_end ? [usOf(e.incident_end.utc)] : [])].join(' '),
    );
    expect(got.sort()).toEqual(announced.sort());
    expect(announced.length).toBeGreaterThan(5);
    expect(events.every((e) => e.delivery.state === 'pending' || e.delivery.state === 'none')).toBe(true);

    // The same files again: no incident changes, nothing is recorded.
    await importFixture();
    expect(await allEvents()).toHaveLength(events.length);
  });

  it('filters the board by state and id prefix, with counts over all stores, and answers a past as_of from the engine', async () => {
    await importFixture();
    const all = await wholeBoard();
    const down = await wholeBoard('&state=down');
    expect(down.counts).toEqual(all.counts);
    expect(down.stores).toEqual(all.stores.filter((s) => s.state === 'down'));
    const prefix = all.stores[0].store_id.slice(0, 2);
    expect((await wholeBoard(`&q=${prefix}`)).stores.map((s) => s.store_id).sort()).toEqual(
      all.stores
        .map((s) => s.store_id)
        .filter((id) => id.startsWith(prefix))
        .sort(),
    );

    const past = await wholeBoard(`&as_of=${encodeURIComponent('2023-03-12T16:00:00Z')}`);
    expect(past.as_of).toBe('2023-03-12T16:00:00.000000Z');
    for (const store of past.stores.slice(0, 12)) {
      const view = await get<StoreViewDto>(`/stores/${store.store_id}?as_of=2023-03-12T16:00:00Z`);
      const last = view.segments[view.segments.length - 1];
      if (store.state === 'down') expect([store.store_id, last.status]).toEqual([store.store_id, 'inactive']);
      if (store.state === 'up') expect([store.store_id, last.status]).toEqual([store.store_id, 'active']);
    }
  });

  it.each([1, 2, 3, 4, 5, 6])(
    'records exactly the events of the engine evaluated after each time-ordered slice of a random feed (seed %i)',
    async (seed) => {
      const feed = randomFeed(seed);
      const files = {
        business_hours: `store_id,dayOfWeek,start_time_local,end_time_local\n${feed.hoursCsv}`,
        timezones: `store_id,timezone_str\n${feed.zonesCsv}`,
      };
      expect((await postImport(t.base, files)).status).toBe(200);
      const model = new ReferenceMonitor(feed);
      for (const slice of feed.slices) {
        const csv = `store_id,status,timestamp_utc\n${slice.map((p) => `${p.storeId},${p.active ? 'active' : 'inactive'},${new Date(p.tsUs / 1000).toISOString()}`).join('\n')}\n`;
        expect((await postImport(t.base, { polls: csv })).status).toBe(200);
        model.evaluate(Math.max(...slice.map((p) => p.tsUs)));
      }
      const got = (await allEvents()).map((e) =>
        [e.store_id, e.type, usOf(e.incident_start.utc), ...(e.incident_end ? [usOf(e.incident_end.utc)] : [])].join(' '),
      );
      expect(got.sort()).toEqual(model.events.sort());
      expect(got.length).toBeGreaterThan(3);
    },
  );
});

interface FeedPoll {
  storeId: string;
  tsUs: number;
  active: boolean;
}

/** Six stores over four days from 2023-03-10 (the US DST change on the 12th), polled about hourly, split by time into slices. */
function randomFeed(seed: number) {
  const random = mulberry32(seed);
  const start = Date.UTC(2023, 2, 10) * 1000;
  const stores = ['s1', 's2', 's3', 's4', 's5', 's6'];
  const zones = ['America/New_York', 'America/Chicago', 'Europe/London', 'Asia/Kolkata'];
  const hours = new Map<string, HoursRow[]>();
  const zoneOf = new Map<string, string>();
  const polls: FeedPoll[] = [];
  for (const storeId of stores) {
    const kind = Math.floor(random() * 3);
    const rows: HoursRow[] = [];
    for (let day = 0; day < 7 && kind > 0; day++) {
      const startSec = (kind === 1 ? 8 : 18) * 3600 + Math.floor(random() * 4) * 1800;
      const endSec = kind === 1 ? 20 * 3600 : 2 * 3600; // overnight for kind 2
      if (random() < 0.85) rows.push({ dayOfWeek: day, startSec, endSec });
    }
    hours.set(storeId, rows);
    zoneOf.set(storeId, zones[Math.floor(random() * zones.length)]);
    let active = random() < 0.7;
    // Whole milliseconds: the CSV below writes instants as toISOString does.
    for (
      let ts = start + Math.floor(random() * 3600e3) * 1000;
      ts < start + 4 * 24 * US_PER_HOUR;
      ts += (40 + Math.floor(random() * 40)) * 60e6
    ) {
      if (random() < 0.2) active = !active;
      polls.push({ storeId, tsUs: ts, active });
    }
  }
  polls.sort((a, b) => a.tsUs - b.tsUs);
  const cuts = Array.from({ length: 5 }, () => Math.floor(random() * polls.length)).sort((a, b) => a - b);
  const slices: FeedPoll[][] = [];
  let from = 0;
  for (const cut of [...cuts, polls.length]) {
    // Equal instants stay in one slice: a slice never ends inside a moment.
    let end = cut;
    while (end < polls.length && end > 0 && polls[end].tsUs === polls[end - 1].tsUs) end++;
    if (end > from) slices.push(polls.slice(from, end));
    from = Math.max(from, end);
  }
  const time = (sec: number) =>
    `${String(Math.floor(sec / 3600) % 24).padStart(2, '0')}:${String((sec % 3600) / 60).padStart(2, '0')}`;
  return {
    stores,
    hours,
    zoneOf,
    polls,
    slices,
    hoursCsv:
      [...hours]
        .flatMap(([id, rows]) => rows.map((r) => `${id},${r.dayOfWeek},${time(r.startSec)},${time(r.endSec)}`))
        .join('\n') + '\n',
    zonesCsv: [...zoneOf].map(([id, zone]) => `${id},${zone}`).join('\n') + '\n',
  };
}

/**
 * SPEC §5 evaluated the plain way: after each slice, every store's incidents over the whole week
 * from every poll held (the store view's), announced once within the lookback, ended once seen
 * ended; an announced incident that no longer appears ends where it began.
 */
class ReferenceMonitor {
  readonly events: string[] = [];
  private readonly seen = new Set<string>();
  private readonly open = new Map<string, number>();
  private asOfUs = 0;

  constructor(private readonly feed: ReturnType<typeof randomFeed>) {}

  evaluate(sliceLatest: number): void {
    this.asOfUs = Math.max(this.asOfUs, sliceLatest);
    const asOf = this.asOfUs;
    for (const storeId of this.feed.stores) {
      const polls: Poll[] = this.feed.polls.filter((p) => p.storeId === storeId && p.tsUs <= asOf);
      const zone = storeZone(this.feed.zoneOf.get(storeId));
      const open = openIntervals(this.feed.hours.get(storeId) ?? [], zone, asOf - US_PER_WEEK, asOf);
      const incidents = downtimeIncidents(open, statusSegments(polls, asOf - US_PER_WEEK, asOf));
      const announced = this.open.get(storeId);
      for (const [s, e] of incidents) {
        if (e < asOf - LOOKBACK_US && s !== announced) continue;
        this.record(`${storeId} store.down ${s}`, `${storeId} store.down ${Math.floor(s)}`);
        if (e < asOf) this.record(`${storeId} store.up ${s}`, `${storeId} store.up ${Math.floor(s)} ${Math.floor(e)}`);
      }
      if (announced !== undefined && !incidents.some(([s]) => s === announced)) {
        this.record(`${storeId} store.up ${announced}`, `${storeId} store.up ${Math.floor(announced)} ${Math.floor(announced)}`);
      }
      const last = incidents[incidents.length - 1];
      if (last !== undefined && last[1] === asOf) this.open.set(storeId, last[0]);
      else this.open.delete(storeId);
    }
  }

  private record(key: string, shown: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.events.push(shown);
  }
}
