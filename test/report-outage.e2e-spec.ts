import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '../scripts/support/wait';
import { Instance } from './support/instances';
import { canRunPrivateMariadb, PrivateMariadb } from './support/private-mariadb';
import { postImport, ROOT } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

/**
 * A database restart in the middle of a report: the built server on a MariaDB server of the
 * test's own, which is killed (kill -9, by its pid) while a report is built, kept down while the
 * API is asked, and started again on the same datadir. The report must end Complete with the CSV
 * of an uninterrupted run, and every answer while the database is down must be a 503 with a
 * short, generic JSON body.
 */
const describeOnMysql = TEST_DATABASES.includes('mysql') && canRunPrivateMariadb() ? describe : describe.skip;

/** What no answer may show: driver codes, the server's address, SQL, table names. */
const INTERNALS =
  /ECONN|PROTOCOL_|ER_|errno|sqlState|127\.0\.0\.1|localhost|:\d{4,5}\b|SELECT|INSERT|UPDATE|DELETE|report_status|\bpoll\b|business_hours|store_timezone|import_run|\bat \w+ \(/i;

describeOnMysql('a report through a database restart (a MariaDB server of its own)', () => {
  let mariadb: PrivateMariadb;
  let server: Instance | undefined;

  beforeAll(async () => {
    mariadb = await PrivateMariadb.create();
    // Real-ish size: the report takes a few seconds, long enough to be caught part-way.
    const seeded = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli.js'), 'seed', '--stores', '3000', '--days', '8', '--seed', 'outage'],
      { env: { ...process.env, DATABASE_URL: mariadb.url('store_monitor') }, encoding: 'utf8', timeout: 300_000 },
    );
    if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  }, 400_000);
  afterAll(async () => {
    await server?.stop();
    await mariadb?.destroy();
  });

  it('ends Complete with the uninterrupted CSV, and answers 503 with a generic body while the database is down', async () => {
    server = await Instance.start('outage', { DATABASE_URL: mariadb.url('store_monitor') });
    const reference = await server.trigger();
    const csv = await server.csvOf(reference, 120_000);
    const { as_of: asOf } = (await server.json(`/reports/${reference}`)).body;
    expect(csv.split('\n')).toHaveLength(3002);

    // Caught part-way: Running, some progress written, not finished.
    const id = await server.trigger({ as_of: asOf });
    for (let until = Date.now() + 60_000; ; await sleep(20)) {
      const { body } = await server.json(`/reports/${id}`);
      if (body.status !== 'Running') throw new Error(`the report ended before the database was stopped: ${JSON.stringify(body)}`);
      if (body.progress > 0) break;
      if (Date.now() > until) throw new Error('the report made no progress within 60 s');
    }
    const downAt = Date.now();
    await mariadb.kill();

    // Every kind of request while it is down: a 503, a short JSON body with nothing internal.
    const requests: Array<[string, string, object?]> = [
      ['GET', `/reports/${id}`],
      ['GET', `/get_report?report_id=${id}`],
      ['GET', '/reports'],
      ['POST', '/trigger_report', { as_of: asOf }],
      ['DELETE', `/reports/${reference}`],
      ['GET', '/stores?limit=5'],
      ['GET', `/stores/1?as_of=${encodeURIComponent(asOf)}`],
      ['GET', '/imports'],
      ['GET', '/health'],
    ];
    const answers = await Promise.all(
      requests.map(async ([method, path, body]) => {
        const res = await fetch(`${server!.base}${path}`, {
          method,
          ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        });
        return { request: `${method} ${path.split('?')[0]}`, status: res.status, text: await res.text() };
      }),
    );
    const imported = await postImport(server.base, { timezones: 'store_id,timezone_str\nx,UTC\n' });
    answers.push({ request: 'POST /import', status: imported.status, text: await imported.text() });
    for (const answer of answers) {
      expect({ request: answer.request, status: answer.status }).toEqual({ request: answer.request, status: 503 });
      const body = JSON.parse(answer.text);
      expect(body).toEqual({ statusCode: 503, message: expect.any(String), error: 'Service Unavailable' });
      expect(body.message.length).toBeLessThanOrEqual(100);
      expect({ request: answer.request, body: answer.text }).not.toEqual({
        request: answer.request,
        body: expect.stringMatching(INTERNALS),
      });
    }
    // Down at least 5 s in all.
    await sleep(Math.max(0, 5_000 - (Date.now() - downAt)));
    await mariadb.start();

    // The same report, finished by its owner on a new snapshot: the uninterrupted CSV.
    expect(await server.csvOf(id, 120_000)).toBe(csv);
    const { body } = await server.json(`/reports/${id}`);
    expect(body).toMatchObject({ status: 'Complete', error: null, instance: null, row_count: 3000 });
    expect(server.log).toMatch(new RegExp(`report ${id}: .*building it again from a new snapshot`));
    // Nothing else left Running.
    const running = await server.json<{ reports: unknown[] }>('/reports?status=Running');
    expect(running.body.reports).toEqual([]);
  }, 300_000);
});
