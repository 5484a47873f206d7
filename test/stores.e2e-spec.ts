import { readFileSync } from 'node:fs';
import { pollReport } from '../scripts/support/report-polling';
import { formatDuration, REPORT_HEADER, US_PER_HOUR } from '../src/engine/utils';
import type { StoreListDto } from '../src/stores/dto/store-list.dto';
import type { InstantDto, IntervalDto, StoreViewDto } from '../src/stores/dto/store-view.dto';
import { FIXTURE, parseReport, postImport, runCli, useTestApp } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

const FIGURES = REPORT_HEADER.split(',').slice(1) as Array<keyof StoreViewDto>;

/** An instant of the view (`…:SS.ffffffZ`) as µs. */
const usOf = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number(iso.slice(20, 26));
const span = (i: IntervalDto) => [usOf(i.start.utc), usOf(i.end.utc)] as const;
const inside = (inner: IntervalDto, outer: IntervalDto) => {
  const [s, e] = span(inner);
  const [os, oe] = span(outer);
  return os <= s && e <= oe;
};

describe.each(TEST_DATABASES)('store view on %s', (kind) => {
  const t = useTestApp(kind, 'storeview');

  const importFixture = async () => {
    const files = Object.fromEntries(
      (['polls', 'business_hours', 'timezones'] as const).map((f) => [f, readFileSync(FIXTURE[f])]),
    );
    expect((await postImport(t.base, files)).status).toBe(200);
  };

  /** The report for as_of (default: the latest poll), its rows and the as_of it used. */
  const report = async (asOf?: string) => {
    const res = await fetch(`${t.base}/trigger_report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(asOf ? { as_of: asOf } : {}),
    });
    const { report_id: id } = (await res.json()) as { report_id: string };
    const { csv } = await pollReport(t.base, id, { everyMs: 5, timeoutMs: 30_000 });
    const info = (await (await fetch(`${t.base}/reports/${id}`)).json()) as { as_of: string };
    return { ...parseReport(csv!), asOf: info.as_of };
  };

  const get = async <T>(path: string) => {
    const res = await fetch(`${t.base}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as T };
  };
  const view = (id: string, asOf?: string) =>
    get<StoreViewDto>(`/stores/${id}${asOf ? `?as_of=${encodeURIComponent(asOf)}` : ''}`);

  it.each([
    ['the default as_of (the latest poll)', undefined],
    ['an explicit as_of on the Sunday of the DST change', '2023-03-12T09:30:00Z'],
  ])(
    "gives every fixture store its report row's figures at %s; incidents total the week's downtime and never cross closed time",
    async (_name, asOf) => {
      await importFixture();
      const expected = await report(asOf);
      expect(expected.ids).toHaveLength(40);
      let withIncidents = 0;
      for (const id of expected.ids) {
        const { status, body: v } = await view(id, asOf);
        expect(status).toBe(200);
        expect(v.store_id).toBe(id);
        expect(v.as_of).toBe(expected.asOf);
        // Equal to the CSV's values: the same engine and the same rounding.
        FIGURES.forEach((column, i) => {
          expect([id, column, Math.abs((v[column] as number) - expected.rows.get(id)![i]) <= 0.01]).toEqual([id, column, true]);
          expect([id, column, v[column]]).toEqual([id, column, expected.rows.get(id)![i]]);
        });

        expect(v.incident_count).toBe(v.incidents.length);
        expect(v.incident_total_hours).toBe(v.downtime_last_week);
        const downUs = v.incidents.reduce((sum, i) => sum + (usOf(i.end.utc) - usOf(i.start.utc)), 0);
        // Printed instants drop a midpoint's half µs: at most 1 µs per incident off the exact sum.
        expect(Math.abs(downUs / US_PER_HOUR - v.downtime_last_week)).toBeLessThanOrEqual(0.005 + 1e-6 * v.incidents.length);
        expect(Number(formatDuration(downUs, US_PER_HOUR))).toBeCloseTo(v.downtime_last_week, 2);
        for (const [k, incident] of v.incidents.entries()) {
          expect([id, k, v.open_intervals.some((o) => inside(incident, o))]).toEqual([id, k, true]);
          expect([id, k, v.segments.some((s) => s.status === 'inactive' && inside(incident, s))]).toEqual([id, k, true]);
          const [s, e] = span(incident);
          expect(e).toBeGreaterThan(s);
          // Maximal: the next one starts strictly later (closed or active time in between).
          if (k > 0) expect(s).toBeGreaterThan(span(v.incidents[k - 1])[1]);
        }
        if (v.incidents.length > 0) withIncidents++;

        // Segments cover the week without gap, alternating; open intervals lie in it.
        const [weekStart, weekEnd] = span(v.week);
        expect(weekEnd - weekStart).toBe(7 * 24 * US_PER_HOUR);
        if (v.segments.length > 0) {
          expect(v.segments[0].start).toEqual(v.week.start);
          expect(v.segments[v.segments.length - 1].end).toEqual(v.week.end);
          v.segments.slice(1).forEach((seg, k) => {
            expect(seg.start).toEqual(v.segments[k].end);
            expect(seg.status).not.toBe(v.segments[k].status);
          });
        } else {
          expect(v.last_poll).toBeNull();
        }
        for (const o of v.open_intervals) expect(inside(o, v.week)).toBe(true);

        // Every instant's local form is the same instant, with the store's offset.
        const instants: InstantDto[] = [v.week, ...v.open_intervals, ...v.segments, ...v.incidents].flatMap((i) => [
          i.start,
          i.end,
        ]);
        for (const { utc, local } of instants) {
          expect(local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$/);
          expect(Date.parse(local)).toBe(Date.parse(utc));
        }
      }
      expect(withIncidents).toBeGreaterThan(5); // the fixture does have downtime to show
    },
  );

  it('shows the spring-forward in the local times of a Chicago store', async () => {
    await importFixture();
    const { body: list } = await get<StoreListDto>('/stores?limit=1000');
    const chicago = list.stores.find((s) => s.timezone === 'America/Chicago' && s.has_business_hours && s.last_poll !== null)!;
    const { body: v } = await view(chicago.store_id);
    const offsets = new Set(v.open_intervals.flatMap((o) => [o.start.local.slice(-6), o.end.local.slice(-6)]));
    expect(offsets).toEqual(new Set(['-06:00', '-05:00']));
  });

  it('answers 404 for an unknown store and 400 for a bad as_of or a malformed id, with JSON errors', async () => {
    await importFixture();
    const known = (await report()).ids[0];
    for (const [path, status, message] of [
      ['/stores/1000000000000000000', 404, 'no store 1000000000000000000'],
      [`/stores/${known}?as_of=yesterday`, 400, 'as_of'],
      [`/stores/${known}?as_of=2023-02-30T00:00:00Z`, 400, 'as_of'],
      ['/stores/a%20b', 400, 'store_id'],
      ['/stores?limit=0', 400, 'limit'],
      ['/stores?limit=1001', 400, 'limit'],
      ['/stores?limit=ten', 400, 'limit'],
      ['/stores?cursor=%C3%A9', 400, 'cursor'],
    ] as const) {
      const res = await get<{ statusCode: number; message: string }>(path);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.type).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ statusCode: status, message: expect.stringContaining(message) });
    }
  });

  it('keeps 19-digit ids and UUIDs byte for byte, never through a number', async () => {
    // 10^18 and 10^18 + 1 are the same double: each must still find its own polls.
    const ids = [
      '1000000000000000000',
      '1000000000000000001',
      'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099',
      'B0C11FDE-CB91-CE37-5BC8-FBBCBDE5C099',
    ];
    const polls = ids.map((id, i) => `${id},${i % 2 ? 'inactive' : 'active'},2023-01-02 11:00:00 UTC`);
    expect((await postImport(t.base, { polls: `store_id,status,timestamp_utc\n${polls.join('\n')}\n` })).status).toBe(200);
    for (const [i, id] of ids.entries()) {
      const { status, body: v } = await view(id, '2023-01-02T12:00:00Z');
      expect(status).toBe(200);
      expect(v.store_id).toBe(id);
      expect(v.uptime_last_week).toBe(i % 2 ? 0 : 168);
      expect(v.downtime_last_week).toBe(i % 2 ? 168 : 0);
      expect(v.incident_count).toBe(i % 2 ? 1 : 0);
      expect(v.last_poll).toBe('2023-01-02T11:00:00.000000Z');
    }
    const { body: list } = await get<StoreListDto>('/stores');
    expect(list.stores.map((s) => s.store_id)).toEqual([...ids].sort());
    expect(list.stores[0]).toEqual({
      store_id: '1000000000000000000',
      timezone: 'America/Chicago',
      timezone_is_default: true,
      has_business_hours: false,
      last_poll: '2023-01-02T11:00:00.000000Z',
    });
    expect(list.next_cursor).toBeNull();
  });

  it('pages through every store by cursor, in the report order', async () => {
    await importFixture();
    const { ids } = await report();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/stores?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`;
      const { status, body } = await get<StoreListDto>(path);
      expect(status).toBe(200);
      expect(body.stores.length).toBeLessThanOrEqual(7);
      seen.push(...body.stores.map((s) => s.store_id));
      cursor = body.next_cursor;
      if (cursor !== null) expect(cursor).toBe(seen[seen.length - 1]);
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(ids);
    expect(pages).toBe(Math.ceil(ids.length / 7));

    const { body: all } = await get<StoreListDto>('/stores');
    expect(all.stores.map((s) => s.store_id)).toEqual(ids);
    expect(all.next_cursor).toBeNull();
    // What the list says of a store is what its view says.
    for (const s of all.stores.slice(0, 10)) {
      const { body: v } = await view(s.store_id);
      expect({
        timezone: v.timezone,
        timezone_is_default: v.timezone_is_default,
        has_business_hours: v.has_business_hours,
      }).toEqual({
        timezone: s.timezone,
        timezone_is_default: s.timezone_is_default,
        has_business_hours: s.has_business_hours,
      });
    }
  });

  it('prints the same JSON from the CLI, and a one-line error for an unknown store', async () => {
    await importFixture();
    const { ids } = await report();
    const id = ids[3];
    const { body: http } = await view(id, '2023-03-12T09:30:00Z');
    const cli = runCli(t.db, ['store', id, '--as-of', '2023-03-12T09:30:00Z']);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(http);

    const unknown = runCli(t.db, ['store', '1000000000000000000']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toBe('error: no store 1000000000000000000\n');
    expect(unknown.stdout).toBe('');
  });
});
