import { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { pollReport } from '../scripts/support/report-polling';
import { freePort, spawnServer, stopServer, waitForHealth } from '../scripts/support/server-process';
import { buildDataSourceOptions } from '../src/database/database-options';
import { parseDatabaseUrl } from '../src/database/database-url';
import { FIXTURE, parseReport, postImport, ROOT } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * The built service as it runs in production (`node dist/src/main.js`): polls are parsed in a
 * worker thread and reports are built in another, on connections of their own.
 */
describe.each(TEST_DATABASES)('the built server on %s', (kind) => {
  const db = new TestDatabase(kind, 'server');
  let server: ChildProcess;
  let base: string;
  let log = '';

  beforeAll(async () => {
    const port = await freePort();
    server = spawnServer({
      script: join(ROOT, 'dist', 'src', 'main.js'),
      port,
      env: { DATABASE_URL: db.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    base = `http://127.0.0.1:${port}`;
    await waitForHealth(server, port, kind, { timeoutMs: 30_000 }).catch((error: Error) => {
      throw new Error(`server did not start (${error.message}):\n${log}`);
    });
  });
  afterAll(async () => {
    if (server) await stopServer(server, kind);
    await db.drop();
  });

  async function report(body?: object) {
    const res = await fetch(`${base}/trigger_report`, {
      method: 'POST',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const { report_id } = (await res.json()) as any;
    const done = await pollReport(base, report_id, { everyMs: 10, timeoutMs: 30_000 });
    return done.csv !== undefined ? { csv: done.csv } : { status: done.body };
  }

  it('imports the fixture (parsed in a worker) and builds its report (in a worker) within 0.01', async () => {
    const files = Object.fromEntries(
      (['polls', 'business_hours', 'timezones'] as const).map((f) => [f, readFileSync(FIXTURE[f])]),
    );
    const summary = (await (await postImport(base, files)).json()) as any;
    expect(summary.polls).toMatchObject({ read: 6561, inserted: 6497, unchanged: 59, replaced: 0, rejected: 5 });
    expect(summary.polls.errors[0]).toEqual({ line: 6558, reason: 'status must be active or inactive' });

    const { csv } = await report();
    const got = parseReport(csv!);
    const expected = parseReport(readFileSync(FIXTURE.expected, 'utf8'));
    expect(got.ids).toEqual(expected.ids);
    for (const id of expected.ids) {
      got.rows.get(id)!.forEach((v, i) => expect(Math.abs(v - expected.rows.get(id)![i])).toBeLessThanOrEqual(0.01));
    }
  });

  it('refuses a polls file with a bad header, writing nothing', async () => {
    const res = await postImport(base, { polls: 'store_id,status,when\n1,active,2023-03-04 15:00:00 UTC\n' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).message).toContain('"timestamp_utc"');
  });

  it('reports Failed, and keeps serving, when the worker cannot build', async () => {
    const ds = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(db.url))).initialize();
    await ds.query('ALTER TABLE poll RENAME TO poll_hidden');
    try {
      const { status } = await report({ as_of: '2023-03-13T15:00:00Z' });
      expect(status).toMatchObject({ status: 'Failed', error: 'a database error stopped the report' });
    } finally {
      await ds.query('ALTER TABLE poll_hidden RENAME TO poll');
      await ds.destroy();
    }
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(server.exitCode).toBeNull();
  });
});
