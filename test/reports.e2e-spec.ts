import { readFileSync } from 'node:fs';
import { pollReport } from '../scripts/support/report-polling';
import { REPORT_HEADER as HEADER } from '../src/engine/utils';
import { FIXTURE, parseReport, postImport, runCli, useTestApp } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

/**
 * A data set small enough to work out by hand, as_of 2023-01-02T12:00Z (a Monday):
 * - A (UTC, open Monday 09:00-12:00): polls 10:14 active, 11:15 inactive -> active 09:00-10:44:30,
 *   inactive 10:44:30-12:00: hour 0 / 60 min, day and week 1.7417 / 1.2583 h (the window starts
 *   Monday Dec 26 12:00, after that Monday's hours).
 * - B: hours, no poll -> zeros.  C: no hours (24x7), one poll -> active all week.
 * - D: its only poll is after as_of -> zeros.  a1: only a zone -> zeros, and sorts after D.
 */
const HAND = {
  polls:
    'store_id,status,timestamp_utc\nA,active,2023-01-02 10:14:00 UTC\nA,inactive,2023-01-02 11:15:00 UTC\nC,active,2023-01-02 11:30:00 UTC\nD,inactive,2023-01-02 13:00:00 UTC\n',
  business_hours: 'store_id,dayOfWeek,start_time_local,end_time_local\nA,0,09:00,12:00\nB,2,09:00,17:00\n',
  timezones: 'store_id,timezone_str\nA,UTC\na1,Europe/Paris\n',
};
const HAND_REPORT = [
  HEADER,
  'A,0.00,1.74,1.74,60.00,1.26,1.26',
  'B,0.00,0.00,0.00,0.00,0.00,0.00',
  'C,60.00,24.00,168.00,0.00,0.00,0.00',
  'D,0.00,0.00,0.00,0.00,0.00,0.00',
  'a1,0.00,0.00,0.00,0.00,0.00,0.00',
  '',
].join('\n');

const fixtureCsv = new Map<string, string>();

async function trigger(base: string, body?: object) {
  const res = await fetch(`${base}/trigger_report`, {
    method: 'POST',
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls GET /get_report until the report is no longer Running (bounded), recording what it saw. */
async function waitForReport(base: string, id: string) {
  const seen: Array<{ status: string; progress?: number }> = [];
  const { res, csv, body } = await pollReport(base, id, {
    everyMs: 5,
    timeoutMs: 30_000,
    onAnswer: (answer) => {
      expect(answer.status).toBe(200);
      if (answer.json) seen.push(answer.json);
    },
  });
  return { res, seen, csv, body: body as any };
}

describe.each(TEST_DATABASES)('reports on %s', (kind) => {
  const t = useTestApp(kind, 'reports');

  it('reproduces the independently computed fixture report (DST week, dirty rows) within 0.01', async () => {
    const files = Object.fromEntries(
      (['polls', 'business_hours', 'timezones'] as const).map((f) => [f, readFileSync(FIXTURE[f])]),
    );
    expect((await postImport(t.base, files)).status).toBe(200);
    const accepted = await trigger(t.base);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ report_id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), status: 'Running' });

    const { res, csv } = await waitForReport(t.base, accepted.body.report_id);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    const got = parseReport(csv!);
    const expected = parseReport(readFileSync(FIXTURE.expected, 'utf8'));
    expect(got.header).toBe(HEADER);
    expect(got.ids).toEqual(expected.ids);
    for (const id of expected.ids) {
      got.rows.get(id)!.forEach((v, i) => expect(Math.abs(v - expected.rows.get(id)![i])).toBeLessThanOrEqual(0.01));
    }
    expect(csv).toMatch(/^[^\n]+\n([^,\n]+(,\d+\.\d\d){6}\n)+$/); // two decimals everywhere
    fixtureCsv.set(kind, csv!);

    // The CLI writes the same CSV, byte for byte.
    const cli = runCli(t.db, ['report']);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe(csv);
  });

  it('builds the hand-computed report exactly for an explicit as_of', async () => {
    expect((await postImport(t.base, HAND)).status).toBe(200);
    const accepted = await trigger(t.base, { as_of: '2023-01-02T12:00:00Z' });
    const { csv } = await waitForReport(t.base, accepted.body.report_id);
    expect(csv).toBe(HAND_REPORT);

    const path = await fetch(`${t.base}/get_report/${accepted.body.report_id}`);
    expect(path.headers.get('x-report-status')).toBe('Complete');
    expect(await path.text()).toBe(HAND_REPORT);

    const info = (await (await fetch(`${t.base}/reports/${accepted.body.report_id}`)).json()) as any;
    expect(info).toMatchObject({
      status: 'Complete',
      progress: 1,
      as_of: '2023-01-02T12:00:00.000000Z',
      row_count: 5,
      error: null,
      instance: null,
    });
    // When its builder started stays shown once Complete: created ≤ started ≤ completed.
    const times = [info.created_at, info.started_at, info.completed_at] as string[];
    expect(times.every((x) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(x))).toBe(true);
    expect([...times].sort()).toEqual(times);
  });

  it('shows Running with progress while a larger report is built, then Complete', async () => {
    const lines = ['store_id,status,timestamp_utc'];
    const t0 = Date.parse('2023-01-01T00:00:00Z');
    for (let s = 0; s < 2500; s++) {
      for (let h = 0; h < 30; h++) {
        const ts = new Date(t0 + h * 3600_000 + s * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC');
        lines.push(`${1000000000000000000n + BigInt(s)},${(s + h) % 5 ? 'active' : 'inactive'},${ts}`);
      }
    }
    expect((await postImport(t.base, { polls: `${lines.join('\n')}\n` })).status).toBe(200);
    const accepted = await trigger(t.base);
    const { seen, csv } = await waitForReport(t.base, accepted.body.report_id);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.status).toBe('Running');
      expect(s.progress).toBeGreaterThanOrEqual(0);
      expect(s.progress).toBeLessThanOrEqual(1);
    }
    expect(csv!.split('\n')).toHaveLength(2502); // header, 2500 stores, final newline
  });

  it('reports Failed with a short reason, naming no table, when generation breaks', async () => {
    await t.sql.run('ALTER TABLE poll RENAME TO poll_hidden');
    try {
      await postImport(t.base, { timezones: 'store_id,timezone_str\nx,UTC\n' });
      const accepted = await trigger(t.base, { as_of: '2023-01-02T12:00:00Z' });
      const { body } = await waitForReport(t.base, accepted.body.report_id);
      // The driver's message ("no such table: poll") is the log's, not the answer's.
      expect(body).toEqual({
        report_id: accepted.body.report_id,
        status: 'Failed',
        error: 'a database error stopped the report',
      });
    } finally {
      await t.sql.run('ALTER TABLE poll_hidden RENAME TO poll');
    }
  });

  it.each([
    ['/get_report?report_id=AAAAAAAAAAAAAAAAAAAAAA', 404],
    ['/get_report/AAAAAAAAAAAAAAAAAAAAAA', 404],
    ['/reports/AAAAAAAAAAAAAAAAAAAAAA', 404],
    ['/get_report?report_id=not-an-id', 400],
    ['/get_report?report_id=', 400],
    ['/get_report', 400],
    ['/get_report/abc%27%3B--', 400],
  ])('GET %s answers %i with a JSON error', async (path, status) => {
    const res = await fetch(`${t.base}${path}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await res.json()) as any).toMatchObject({ statusCode: status, message: expect.any(String) });
  });

  it('warns, in the report, of an as_of before every poll', async () => {
    expect((await postImport(t.base, HAND)).status).toBe(200);
    const id = (await trigger(t.base, { as_of: '2020-01-01T00:00:00Z' })).body.report_id;
    await waitForReport(t.base, id);
    const info = (await (await fetch(`${t.base}/reports/${id}`)).json()) as any;
    expect(info).toMatchObject({ status: 'Complete', row_count: 5, warning: expect.stringContaining('before every poll') });
    const normal = (await trigger(t.base, { as_of: '2023-01-02T12:00:00Z' })).body.report_id;
    await waitForReport(t.base, normal);
    expect(((await (await fetch(`${t.base}/reports/${normal}`)).json()) as any).warning).toBeNull();
  });

  it('says what is wrong: a missing report_id is required, an as_of must be an ISO instant', async () => {
    expect(((await (await fetch(`${t.base}/get_report`)).json()) as any).message).toMatch(/^report_id is required/);
    expect((await trigger(t.base, { as_of: 'yesterday' })).body.message).toBe(
      'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "yesterday")',
    );
  });

  it('refuses an as_of that is not an instant', async () => {
    const res = await trigger(t.base, { as_of: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('as_of') });
  });

  it('lists reports newest first, paged, filtered by status, and deletes one', async () => {
    expect((await postImport(t.base, HAND)).status).toBe(200);
    const first = (await trigger(t.base, { as_of: '2023-01-02T12:00:00Z' })).body.report_id;
    await waitForReport(t.base, first);
    const second = (await trigger(t.base, { as_of: '2023-01-02T11:00:00Z' })).body.report_id;
    await waitForReport(t.base, second);

    const page1 = (await (await fetch(`${t.base}/reports?limit=1`)).json()) as any;
    expect(page1.reports.map((r: any) => r.report_id)).toEqual([second]);
    expect(page1.reports[0]).toMatchObject({
      status: 'Complete',
      as_of: '2023-01-02T11:00:00.000000Z',
      row_count: 5,
      instance: null,
    });
    const page2 = (await (await fetch(`${t.base}/reports?limit=1&cursor=${page1.next_cursor}`)).json()) as any;
    expect(page2.reports.map((r: any) => r.report_id)).toEqual([first]);
    expect(page2.next_cursor).toBeNull();
    expect(((await (await fetch(`${t.base}/reports?status=Failed`)).json()) as any).reports).toEqual([]);

    expect((await fetch(`${t.base}/reports/${first}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${t.base}/reports/${first}`)).status).toBe(404);
    expect((await fetch(`${t.base}/reports/${first}`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${t.base}/reports/not-an-id`, { method: 'DELETE' })).status).toBe(400);
    for (const query of ['status=Done', 'limit=0', 'limit=501', 'cursor=nonsense']) {
      const res = await fetch(`${t.base}/reports?${query}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ statusCode: 400, message: expect.anything() });
    }
  });

  it('fixes as_of when the report is triggered: the latest poll at that moment', async () => {
    expect((await postImport(t.base, HAND)).status).toBe(200);
    const id = (await trigger(t.base)).body.report_id;
    const info = (await (await fetch(`${t.base}/reports/${id}`)).json()) as any;
    expect(info.as_of).toBe('2023-01-02T13:00:00.000000Z'); // D's poll, the latest, known before any build
    await waitForReport(t.base, id);
  });

  it('finishes a report whose owner stopped mid-build, and one that waits, when an instance starts', async () => {
    expect((await postImport(t.base, HAND)).status).toBe(200);
    const asOfUs = Date.parse('2023-01-02T12:00:00Z') * 1000;
    // One left mid-build by an instance that is gone (its heartbeat is far older than the lease),
    // one that never got a slot.
    await t.sql.run(
      `INSERT INTO report_status (id, status, as_of_us, progress, created_at_ms, owner, heartbeat_at_ms, started_at_ms)
       VALUES ('crashedcrashedcrashed1', 'Running', ?, 0.5, 1, 'gone-1-dead', 1, 1), ('waitingwaitingwaiting1', 'Running', ?, 0, 2, NULL, NULL, NULL)`,
      [asOfUs, asOfUs],
    );
    await t.restart();
    for (const id of ['crashedcrashedcrashed1', 'waitingwaitingwaiting1']) {
      const { csv } = await waitForReport(t.base, id);
      expect(csv).toBe(HAND_REPORT);
    }
  });
});

if (TEST_DATABASES.length === 2) {
  it('gives byte-identical fixture reports on SQLite and MySQL', () => {
    expect(fixtureCsv.get('sqlite')).toBeDefined();
    expect(fixtureCsv.get('mysql')).toBe(fixtureCsv.get('sqlite'));
  });
}
