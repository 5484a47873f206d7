import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeeds, WrittenFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { sleep } from '../scripts/support/wait';
import { ImportRunsService } from '../src/ingestion/import-runs.service';
import { Instance } from './support/instances';
import { FIXTURE, postImport, runCli, useTestApp } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/** A polls file big enough that an import takes a few seconds even on the fast path (about 950,000 rows). */
let big: WrittenFeeds;
const bigDir = mkdtempSync(join(tmpdir(), 'sm-import-runs-'));
beforeAll(async () => {
  big = await writeSyntheticFeeds(bigDir, resolveFeedOptions({ stores: 3000, days: 8, seed: 'import-runs' }));
}, 120_000);
afterAll(() => rmSync(bigDir, { recursive: true, force: true }));

describe.each(TEST_DATABASES)('imports as tracked runs on %s', (kind) => {
  const t = useTestApp(kind, 'importruns');
  const runs = async () => (await (await fetch(`${t.base}/imports`)).json()) as any;

  it('records a synchronous import with its files, status and summary', async () => {
    const res = await postImport(t.base, { polls: readFileSync(FIXTURE.polls), timezones: readFileSync(FIXTURE.timezones) });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as any;
    const { imports } = await runs();
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({
      source: 'http',
      status: 'Complete',
      files: [
        { feed: 'polls', name: 'polls.csv', bytes: 384038 },
        { feed: 'timezones', name: 'timezones.csv', bytes: 1308 },
      ],
      bytes_total: 385346,
      bytes_read: 385346,
      progress: 1,
      error: null,
      instance: null,
    });
    expect(imports[0].summary).toEqual(summary);
    expect(await (await fetch(`${t.base}/imports/${imports[0].import_id}`)).json()).toEqual(imports[0]);
  });

  it('answers an async import with 202 at once, shows its progress rising, then the same summary as a synchronous one', async () => {
    const started = Date.now();
    const res = await postImport(t.base, { polls: readFileSync(big.files.polls) }, '?async=true');
    expect(res.status).toBe(202);
    const { import_id } = (await res.json()) as any;
    expect(import_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const seen: number[] = [];
    let run: any;
    for (;;) {
      run = await (await fetch(`${t.base}/imports/${import_id}`)).json();
      seen.push(run.progress);
      if (run.status !== 'Running' || Date.now() - started > 120_000) break;
      await sleep(100);
    }
    expect(run.status).toBe('Complete');
    expect(seen.some((p) => p > 0 && p < 1)).toBe(true); // seen part-way
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1])).toBe(true);
    expect(run.summary.polls).toMatchObject({ read: big.stats.polls.rows, rejected: 0 });

    // The same file again, synchronously: every row unchanged, and the same rows read.
    const again = (await (await postImport(t.base, { polls: readFileSync(big.files.polls) })).json()) as any;
    expect(again.polls.read).toBe(run.summary.polls.read);
    expect(again.polls.inserted + again.polls.replaced).toBe(0);
  });

  it('records a refused file as Failed with its reason, and answers 400 in both modes', async () => {
    for (const query of ['', '?async=true']) {
      const res = await postImport(t.base, { polls: 'store_id,state,timestamp_utc\n1,active,2023-03-04 15:00:00 UTC\n' }, query);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).message).toContain('"status"');
    }
    const { imports } = await runs();
    expect(imports.map((r: any) => [r.status, r.error])).toEqual([
      ['Failed', expect.stringContaining('"status"')],
      ['Failed', expect.stringContaining('"status"')],
    ]);
  });

  it('starts an upload’s hours and zones early only while its ticket holds a slot, never its polls', async () => {
    const runs = t.app.get(ImportRunsService);
    const dir = mkdtempSync(join(tmpdir(), 'sm-early-'));
    try {
      const file = (feed: 'timezones' | 'business_hours' | 'polls', text: string) => {
        writeFileSync(join(dir, feed), text);
        return { feed, path: join(dir, feed), name: feed };
      };
      const zones = file('timezones', 'store_id,timezone_str\nz1,America/Denver\n');
      const hours = file('business_hours', 'store_id,dayOfWeek,start_time_local,end_time_local\nz1,0,09:00,17:00\n');
      const polls = file('polls', 'store_id,status,timestamp_utc\nz1,active,2023-03-04 15:00:00 UTC\n');
      const tickets = [runs.admission.admit(), runs.admission.admit(), runs.admission.admit()];
      try {
        expect(tickets.map((ticket) => ticket.holdsSlot)).toEqual([true, true, false]); // IMPORT_CONCURRENCY 2
        const queued = runs.earlyStarts(tickets[2]);
        queued.onFile(zones);
        expect(Object.keys(queued.started)).toEqual([]);
        const early = runs.earlyStarts(tickets[0]);
        for (const f of [zones, hours, polls]) early.onFile(f);
        expect(Object.keys(early.started).sort()).toEqual(['business_hours', 'timezones']);
        const started = await runs.start('http', [zones, hours, polls], tickets[0], early.started);
        expect(await started.done).toMatchObject({
          timezones: { inserted: 1 },
          business_hours: { inserted: 1 },
          polls: { inserted: 1 },
        });
        expect(tickets[0].holdsSlot).toBe(false); // released with its run's end
      } finally {
        for (const ticket of tickets) ticket.release();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records a CLI import, and refuses a repeated field', async () => {
    expect(runCli(t.db, ['import', '--timezones', FIXTURE.timezones]).status).toBe(0);
    const { imports } = await runs();
    expect(imports[0]).toMatchObject({
      source: 'cli',
      status: 'Complete',
      files: [{ feed: 'timezones', name: FIXTURE.timezones }],
    });

    const form = new FormData();
    form.append('polls', new Blob(['store_id,status,timestamp_utc\n']), 'a.csv');
    form.append('polls', new Blob(['store_id,status,timestamp_utc\n']), 'b.csv');
    const twice = await fetch(`${t.base}/import`, { method: 'POST', body: form });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as any).message).toContain('given twice');

    // The second as a plain value (not a file part), and a feed sent as a plain value alone.
    const plainAfter = new FormData();
    plainAfter.append('timezones', new Blob(['store_id,timezone_str\ns1,Etc/UTC\n']), 'a.csv');
    plainAfter.append('timezones', 'store_id,timezone_str\ns2,Etc/UTC\n');
    const afterFile = await fetch(`${t.base}/import`, { method: 'POST', body: plainAfter });
    expect(afterFile.status).toBe(400);
    expect(((await afterFile.json()) as any).message).toBe('field "timezones" given twice: send each feed at most once');
    const plainOnly = new FormData();
    plainOnly.append('timezones', 'store_id,timezone_str\ns2,Etc/UTC\n');
    const alone = await fetch(`${t.base}/import`, { method: 'POST', body: plainOnly });
    expect(alone.status).toBe(400);
    expect(((await alone.json()) as any).message).toBe(
      'field "timezones" is not a file: send it as a file part (curl -F timezones=@file.csv)',
    );
    expect(Number((await t.sql.objects<{ n: unknown }>('SELECT COUNT(*) AS n FROM store_timezone'))[0].n)).toBe(32);
  });

  it.each([
    ['/imports/AAAAAAAAAAAAAAAAAAAAAA', 404],
    ['/imports/nope', 400],
    ['/imports?cursor=nonsense', 400],
    ['/imports?limit=0', 400],
    ['/import?async=maybe', 400],
  ])('%s answers %i', async (path, status) => {
    const res = path.startsWith('/import?')
      ? await postImport(t.base, { timezones: 'store_id,timezone_str\n' }, path.slice('/import'.length))
      : await fetch(`${t.base}${path}`);
    expect(res.status).toBe(status);
  });
});

const describeOnMysql = TEST_DATABASES.includes('mysql') ? describe : describe.skip;

describeOnMysql('an import when the service is stopped (MariaDB, separate process)', () => {
  const db = new TestDatabase('mysql', 'importstop');
  afterAll(() => db.drop());

  it('records an import cut by SIGTERM as Interrupted with what it wrote; a re-run completes it', async () => {
    // Every distinct (store, time) of the file: its rows less the exact repeats.
    const distinct = big.stats.polls.rows - big.stats.polls.duplicates;
    const instance = await Instance.start('a', { DATABASE_URL: db.url, SHUTDOWN_GRACE_S: '0' });
    try {
      const res = await postImport(instance.base, { polls: readFileSync(big.files.polls) }, '?async=true');
      const { import_id } = (await res.json()) as any;
      for (let i = 0; i < 600; i++) {
        const run = (await instance.json(`/imports/${import_id}`)).body;
        if (run.bytes_read > 0 || run.status !== 'Running') break;
        await sleep(20);
      }
      const { code } = await instance.terminate();
      expect(code).toBe(0);
    } finally {
      await instance.stop();
    }

    const again = await Instance.start('b', { DATABASE_URL: db.url });
    try {
      const { body } = await again.json('/imports');
      const run = body.imports[0];
      expect(run.status).toBe('Interrupted');
      expect(run.error).toContain('run it again');
      // Part of the file, and exactly what the database holds.
      const written = await db.countRows('poll');
      expect(run.summary.polls.inserted).toBe(written);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(distinct);
      // The writer recorded its stores' latest polls when it stopped.
      expect(await storesBehind(db)).toBe(0);

      // Run again: it completes, and the data is that of one whole import.
      const rerun = (await (await postImport(again.base, { polls: readFileSync(big.files.polls) })).json()) as any;
      expect(rerun.polls).toMatchObject({ read: big.stats.polls.rows, rejected: 0, inserted: distinct - written });
      expect(await db.countRows('poll')).toBe(distinct);
    } finally {
      await again.stop();
    }
  });

  it('reads the stores’ latest polls again from poll when the sweep finds an import killed with -9', async () => {
    const crashed = new TestDatabase('mysql', 'importkill');
    try {
      const env = { DATABASE_URL: crashed.url, JOB_LEASE_S: '2' };
      const instance = await Instance.start('a', env);
      try {
        const res = await postImport(instance.base, { polls: readFileSync(big.files.polls) }, '?async=true');
        const { import_id } = (await res.json()) as any;
        // Well into the file: the batches written have named most stores of the time-ordered file twice.
        for (let i = 0; i < 1500; i++) {
          const run = (await instance.json(`/imports/${import_id}`)).body;
          if (run.progress >= 0.6 || run.status !== 'Running') break;
          await sleep(10);
        }
        await instance.crash();
      } finally {
        await instance.stop();
      }
      // Their latest polls were kept for the end of the file, which never came.
      expect(await storesBehind(crashed)).toBeGreaterThan(0);

      const again = await Instance.start('b', env);
      try {
        for (let i = 0; i < 100 && !again.log.includes('again from the polls they left'); i++) await sleep(100);
        expect((await again.json('/imports')).body.imports[0].status).toBe('Interrupted');
        expect(again.log).toMatch(/read the latest poll of \d+ store\(s\) again from the polls they left/);
        expect(await storesBehind(crashed)).toBe(0);
      } finally {
        await again.stop();
      }
    } finally {
      await crashed.drop();
    }
  });
});

/** Stores whose recorded latest poll (`store.last_poll_us`) is not the latest of their polls. */
async function storesBehind(db: TestDatabase): Promise<number> {
  const [[behind]] = await db.rows<[number]>(
    `SELECT COUNT(*) FROM (SELECT store_id, MAX(timestamp_us) AS latest FROM poll GROUP BY store_id) p
       LEFT JOIN store s ON s.store_id = p.store_id
      WHERE s.last_poll_us IS NULL OR s.last_poll_us <> p.latest`,
  );
  return Number(behind);
}
