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
  const url = () => mariadb.url('store_monitor');
  /** The reference: a report built without interruption, and its as_of. */
  let csv: string;
  let asOf: string;
  let reference: string;

  beforeAll(async () => {
    mariadb = await PrivateMariadb.create();
    // Real-ish size: the report takes a few seconds, long enough to be caught part-way.
    const seeded = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli.js'), 'seed', '--stores', '3000', '--days', '8', '--seed', 'outage'],
      { env: { ...process.env, DATABASE_URL: url() }, encoding: 'utf8', timeout: 300_000 },
    );
    if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
    server = await Instance.start('outage', { DATABASE_URL: url() });
    reference = await server.trigger();
    csv = await server.csvOf(reference, 120_000);
    asOf = (await server.json(`/reports/${reference}`)).body.as_of;
    expect(csv.split('\n')).toHaveLength(3002);
  }, 400_000);
  afterAll(async () => {
    await server?.stop();
    await mariadb?.destroy();
  });

  /** Triggers a report at the reference's as_of and returns its id once it is Running with some progress written. */
  async function reportPartWay(on: Instance): Promise<string> {
    const id = await on.trigger({ as_of: asOf });
    for (let until = Date.now() + 60_000; ; await sleep(20)) {
      const { body } = await on.json(`/reports/${id}`);
      if (body.status !== 'Running') throw new Error(`the report ended before the database was stopped: ${JSON.stringify(body)}`);
      if (body.progress > 0) return id;
      if (Date.now() > until) throw new Error('the report made no progress within 60 s');
    }
  }

  it('ends Complete with the uninterrupted CSV, and answers 503 with a generic body while the database is down', async () => {
    const on = server!;
    const id = await reportPartWay(on);
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
        const res = await fetch(`${on.base}${path}`, {
          method,
          ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        });
        return { request: `${method} ${path.split('?')[0]}`, status: res.status, text: await res.text() };
      }),
    );
    const imported = await postImport(on.base, { timezones: 'store_id,timezone_str\nx,UTC\n' });
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
    expect(await on.csvOf(id, 120_000)).toBe(csv);
    const { body } = await on.json(`/reports/${id}`);
    expect(body).toMatchObject({ status: 'Complete', error: null, instance: null, row_count: 3000 });
    expect(on.log).toMatch(new RegExp(`report ${id}: .*building it again from a new snapshot`));
    // Nothing else left Running.
    expect((await on.json<{ reports: unknown[] }>('/reports?status=Running')).body.reports).toEqual([]);
  }, 300_000);

  it('builds again, once the database is back, a report whose failure could not be recorded (down longer than every retry)', async () => {
    await server!.stop();
    // A short lease: the owner gives up writing the failure after it.
    const on = (server = await Instance.start('outage-long', { DATABASE_URL: url(), REPORT_LEASE_S: '3' }));
    const id = await reportPartWay(on);
    await mariadb.kill();
    // The build's retries run out (about 30 to 60 s), then so do those of the failure's write.
    const gaveUp = new RegExp(`report ${id}: could not record its failure`);
    for (let until = Date.now() + 120_000; !gaveUp.test(on.log); await sleep(200)) {
      if (Date.now() > until) throw new Error(`the owner did not give up within 120 s:\n${on.log.slice(-3000)}`);
    }
    await mariadb.start();

    // Running without a heartbeat: taken again once the database answers, and built whole.
    expect(await on.csvOf(id, 120_000)).toBe(csv);
    expect((await on.json(`/reports/${id}`)).body).toMatchObject({ status: 'Complete', error: null, instance: null });
    expect((await on.json<{ reports: unknown[] }>('/reports?status=Running')).body.reports).toEqual([]);
  }, 300_000);
});
