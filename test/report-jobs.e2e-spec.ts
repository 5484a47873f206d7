import { sleep } from '../scripts/support/wait';
import { Instance } from './support/instances';
import { runCli } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * Reports as durable jobs, with several instances of the built service (separate processes) on
 * one MariaDB database: takeover after a crash, graceful stop, per-instance concurrency.
 * A short lease keeps the takeover cases quick.
 */
const describeOnMysql = TEST_DATABASES.includes('mysql') ? describe : describe.skip;

describeOnMysql('report jobs on several instances (MariaDB)', () => {
  const db = new TestDatabase('mysql', 'jobs');
  const env = { DATABASE_URL: db.url, REPORT_LEASE_S: '3', REPORT_CONCURRENCY: '2', SHUTDOWN_GRACE_S: '20' };
  const started: Instance[] = [];
  const start = async (name: string, extra: NodeJS.ProcessEnv = {}) => {
    const instance = await Instance.start(name, { ...env, ...extra });
    started.push(instance);
    return instance;
  };

  beforeAll(() => {
    // Enough stores that a report takes about a second to build: long enough to be caught mid-build.
    const seeded = runCli(db, ['seed', '--stores', '1500', '--days', '8', '--seed', 'jobs']);
    if (seeded.status !== 0) throw new Error(seeded.stderr);
  }, 180_000);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((i) => i.stop()));
  });
  afterAll(() => db.drop());

  it('finishes, on the other instance, a report whose builder was killed (kill -9); the CSV equals an uninterrupted one', async () => {
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const id = await a.trigger();
    const builder = await a.builderOf(id);
    const victim = a.owns(builder) ? a : b;
    const survivor = victim === a ? b : a;
    const killedAt = Date.now();
    await victim.crash();

    const csv = await survivor.csvOf(id);
    const takeoverMs = Date.now() - killedAt;
    const { body } = await survivor.json(`/reports/${id}`);
    expect(body).toMatchObject({ status: 'Complete', error: null, instance: null });

    const again = await survivor.trigger({ as_of: body.as_of });
    expect(await survivor.csvOf(again)).toBe(csv);
    // Taken over once the lease (3 s) ran out, not at once (and not never: csvOf waits for it).
    expect(takeoverMs).toBeGreaterThan(2_000);
  });

  it("never touches another instance's running report when it restarts", async () => {
    const [a, b] = await Promise.all([start('a'), start('b', { REPORT_CONCURRENCY: '1' })]);
    // Fill b's only slot first, so that a builds the report under watch.
    const busy = await b.trigger();
    await b.builderOf(busy);
    const id = await a.trigger();
    const builder = await a.builderOf(id);
    const owner = a.owns(builder) ? a : b;
    const other = owner === a ? b : a;
    await other.stop();
    const restarted = await start('restarted', owner === a ? { REPORT_CONCURRENCY: '1' } : {});
    const { body } = await restarted.json(`/reports/${id}`);
    expect(['Running', 'Complete']).toContain(body.status);
    if (body.status === 'Running') expect(body.instance).toBe(builder);
    await owner.csvOf(id);
    expect((await owner.json(`/reports/${id}`)).body).toMatchObject({ status: 'Complete', error: null });
  });

  it('on SIGTERM lets a running report finish within the grace period, then exits 0', async () => {
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const id = await a.trigger();
    const builder = await a.builderOf(id);
    const owner = a.owns(builder) ? a : b;
    const other = owner === a ? b : a;
    const { code } = await owner.terminate();
    expect(code).toBe(0);
    // Finished by its builder within the grace period, not handed back to the other instance.
    expect(owner.log).not.toMatch(/handed back/);
    expect((await other.json(`/reports/${id}`)).body).toMatchObject({ status: 'Complete', error: null });
  });

  it('on SIGTERM with no grace hands the report back, and the other instance builds it at once', async () => {
    const [a, b] = await Promise.all([start('a', { SHUTDOWN_GRACE_S: '0' }), start('b', { SHUTDOWN_GRACE_S: '0' })]);
    const id = await a.trigger();
    const builder = await a.builderOf(id);
    const owner = a.owns(builder) ? a : b;
    const other = owner === a ? b : a;
    const { code } = await owner.terminate();
    expect(code).toBe(0);
    // Handed back before the exit, not left to the lease: it no longer names the stopped instance.
    const rightAfter = (await other.json(`/reports/${id}`)).body;
    expect(rightAfter.instance).not.toBe(builder);
    await other.csvOf(id);
    expect((await other.json(`/reports/${id}`)).body).toMatchObject({ status: 'Complete', error: null });
  });

  it('builds ten reports triggered at once, never more than two at a time per instance, with identical CSVs', async () => {
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).trigger()));
    const building = new Map<string, number>(); // instance → the most reports seen building at once
    const until = Date.now() + 120_000;
    for (;;) {
      const { body } = await a.json<{ reports: Array<{ status: string; instance: string | null }> }>(
        '/reports?status=Running&limit=100',
      );
      const now = new Map<string, number>();
      for (const r of body.reports) if (r.instance !== null) now.set(r.instance, (now.get(r.instance) ?? 0) + 1);
      for (const [instance, n] of now) building.set(instance, Math.max(building.get(instance) ?? 0, n));
      if (body.reports.length === 0 || Date.now() > until) break;
      await sleep(20);
    }
    expect(Math.max(...building.values())).toBeLessThanOrEqual(2);
    expect(building.size).toBe(2); // both instances took a share
    const csvs = await Promise.all(ids.map((id) => a.csvOf(id)));
    expect(new Set(csvs).size).toBe(1);
    expect(csvs[0].split('\n')).toHaveLength(1502); // header, 1,500 stores, final newline
  });
});
