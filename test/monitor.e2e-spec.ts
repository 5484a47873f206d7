import { readFileSync } from 'node:fs';
import type { AlertEventDto, AlertEventListDto } from '../src/monitor/dto/alert-event.dto';
import type { BoardDto, BoardStoreDto } from '../src/monitor/dto/board.dto';
import type { StoreViewDto } from '../src/stores/dto/store-view.dto';
import { EvaluationOutcome, MonitorService } from '../src/monitor/monitor.service';
import { LOOKBACK_US, pollsCsv, randomFeed, ReferenceMonitor } from './support/random-feed';
import { FIXTURE, postImport, useTestApp } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

/** An instant of the API (`…:SS.ffffffZ`) as whole µs. */
const usOf = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number(iso.slice(20, 26));

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
    const pages: BoardDto[] = [];
    do {
      const page: BoardDto = await get<BoardDto>(`/status?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page);
      stores.push(...page.stores);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return { ...pages[0], stores };
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
    expect(past.stores).toHaveLength(40);
    for (const store of past.stores) {
      const view = await get<StoreViewDto>(`/stores/${store.store_id}?as_of=2023-03-12T16:00:00Z`);
      const last = view.segments[view.segments.length - 1];
      if (store.state === 'up') expect([store.store_id, last.status]).toEqual([store.store_id, 'active']);
      if (store.state === 'down') {
        expect([store.store_id, last.status]).toEqual([store.store_id, 'inactive']);
        // The incident going on, whole: one begun before the lookback's window too.
        expect([store.store_id, store.since!.utc]).toEqual([store.store_id, view.incidents[view.incidents.length - 1].start.utc]);
      }
    }
  });

  it('evaluates from the import’s own polls only the stores whose earlier polls it overtakes, with the engine’s events', async () => {
    const hourly = (storeId: string, fromH: number, toH: number, active: (h: number) => boolean) =>
      Array.from({ length: toH - fromH + 1 }, (_, i) => ({
        storeId,
        tsUs: Date.UTC(2023, 2, 10) * 1000 + (fromH + i) * 3600e6,
        active: active(fromH + i),
      }));
    const first = [...hourly('a', 0, 60, (h) => h % 7 !== 0), ...hourly('b', 0, 60, (h) => h % 5 !== 0)];
    // a: a gap longer than the lookback, then polls from before the window on: taken from the import.
    // b: only polls within the window: its poll before the window is the database's, read.
    // c: a store new to this import: taken from it.
    const second = [
      ...hourly('a', 100, 140, (h) => h % 3 !== 0),
      ...hourly('b', 125, 140, (h) => h % 4 !== 0),
      ...hourly('c', 90, 140, (h) => h < 130),
    ];
    const feed = {
      stores: ['a', 'b', 'c'],
      hours: new Map(),
      zoneOf: new Map(),
      polls: [...first, ...second].sort((x, y) => x.tsUs - y.tsUs),
      slices: [first, second],
    } as unknown as ConstructorParameters<typeof ReferenceMonitor>[0];
    const model = new ReferenceMonitor(feed);
    const evaluations = jest.spyOn(t.app.get(MonitorService), 'evaluate');
    for (const slice of [first, second]) {
      expect((await postImport(t.base, { polls: pollsCsv(slice) })).status).toBe(200);
      model.evaluate(Math.max(...slice.map((p) => p.tsUs)));
    }
    const outcomes = await importEvaluations(evaluations);
    evaluations.mockRestore();
    expect(outcomes.map((o) => [o.stores, o.fromImport])).toEqual([
      [2, 2],
      [3, 2],
    ]);
    const got = (await allEvents()).map((e) =>
      [e.store_id, e.type, usOf(e.incident_start.utc), ...(e.incident_end ? [usOf(e.incident_end.utc)] : [])].join(' '),
    );
    expect(got.sort()).toEqual(model.events.sort());
    expect(got.filter((e) => e.startsWith('b '))).not.toHaveLength(0);
    expect(got.filter((e) => e.startsWith('c '))).not.toHaveLength(0);
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
      const evaluations = jest.spyOn(t.app.get(MonitorService), 'evaluate');
      for (const slice of feed.slices) {
        expect((await postImport(t.base, { polls: pollsCsv(slice) })).status).toBe(200);
        model.evaluate(Math.max(...slice.map((p) => p.tsUs)));
      }
      // The first slice's polls are every store's first: all evaluated from the import's own, on
      // MySQL most of them ahead, while the import's last polls were written (MonitorService.prepare).
      const outcomes = await importEvaluations(evaluations);
      evaluations.mockRestore();
      expect(outcomes).toHaveLength(feed.slices.length);
      expect(outcomes[0].fromImport).toBe(new Set(feed.slices[0].map((p) => p.storeId)).size);
      if (kind === 'mysql') expect(outcomes[0].prepared).toBeGreaterThan(outcomes[0].fromImport / 2);
      else expect(outcomes.every((o) => o.prepared === 0)).toBe(true);
      const got = (await allEvents()).map((e) =>
        [e.store_id, e.type, usOf(e.incident_start.utc), ...(e.incident_end ? [usOf(e.incident_end.utc)] : [])].join(' '),
      );
      expect(got.sort()).toEqual(model.events.sort());
      expect(got.length).toBeGreaterThan(3);
    },
  );
});

describe.each(TEST_DATABASES.filter((kind) => kind === 'mysql'))('the live monitor evaluated ahead, on %s', (kind) => {
  const t = useTestApp(kind, 'monitor_ahead');

  it('is not taken when an evaluation has run since: every store is evaluated again, with the engine’s events', async () => {
    const feed = randomFeed(7);
    const files = {
      business_hours: `store_id,dayOfWeek,start_time_local,end_time_local\n${feed.hoursCsv}`,
      timezones: `store_id,timezone_str\n${feed.zonesCsv}`,
    };
    expect((await postImport(t.base, files)).status).toBe(200);
    const monitor = t.app.get(MonitorService);
    const prepare = monitor.prepare.bind(monitor);
    // What an evaluation leaves in the monitor's row once the stores were evaluated ahead.
    const prepared = jest.spyOn(monitor, 'prepare').mockImplementation(async (imported) => {
      const ahead = await prepare(imported);
      await t.sql.run('UPDATE monitor_state SET evaluated_at_ms = COALESCE(evaluated_at_ms, 0) + 1 WHERE id = 1');
      return ahead;
    });
    const model = new ReferenceMonitor(feed);
    const evaluations = jest.spyOn(monitor, 'evaluate');
    for (const slice of feed.slices.slice(0, 2)) {
      expect((await postImport(t.base, { polls: pollsCsv(slice) })).status).toBe(200);
      model.evaluate(Math.max(...slice.map((p) => p.tsUs)));
    }
    const outcomes = await importEvaluations(evaluations);
    const ahead = await Promise.all(prepared.mock.results.map((r) => r.value as ReturnType<MonitorService['prepare']>));
    evaluations.mockRestore();
    prepared.mockRestore();
    expect(ahead[0]!.stores.size).toBeGreaterThan(0); // it was evaluated ahead…
    expect(outcomes.map((o) => o.prepared)).toEqual([0, 0]); // …and not taken
    expect(outcomes[0].fromImport).toBe(new Set(feed.slices[0].map((p) => p.storeId)).size);
    const got = (
      await t.sql.rows<[string, string, number, number | null]>(
        'SELECT store_id, type, incident_start_us, incident_end_us FROM alert_event',
      )
    ).map(([id, type, start, end]) => [id, type, Number(start), ...(end === null ? [] : [Number(end)])].join(' '));
    expect(got.sort()).toEqual(model.events.sort());
    expect(got.length).toBeGreaterThan(3);
  });
});

/**
 * The outcomes of the evaluations the imports ran (each with its `imported` polls), in order; not
 * the deliverer's periodic catch-ups (`onlyIfBehind`), which may fall between an import's commit
 * and its own evaluation.
 */
function importEvaluations(spy: jest.SpyInstance): Promise<EvaluationOutcome[]> {
  const calls = spy.mock.calls as Array<[{ onlyIfBehind?: boolean }?]>;
  return Promise.all(
    spy.mock.results.filter((_, i) => calls[i][0]?.onlyIfBehind !== true).map((r) => r.value as Promise<EvaluationOutcome>),
  );
}
