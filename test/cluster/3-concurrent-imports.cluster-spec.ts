import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeeds } from '../../src/seed/feed-files.util';
import { resolveFeedOptions } from '../../src/seed/synthetic-feed';
import { Instance } from '../support/instances';
import { FIXTURE, postImport } from '../support/test-app';
import { dataDigest, dropDatabase, nodeUrl, queryNode } from './cluster';

/**
 * The same files imported through two nodes at once. Galera certifies the two write-sets of the
 * same keys and refuses the later one (a deadlock error, 1213); the writers retry it, so both
 * imports answer 200 and the data is what one import makes.
 *
 * The polls file has about 120,000 rows (three batches of the MySQL writer): with the fixture's
 * 6,561 rows (one batch) the second import's first read already waits for the first import's
 * write-set (wsrep_sync_wait), so the two rarely overlap; with three batches they do.
 */
describe('the same files through two Galera nodes at once', () => {
  const database = `sm_cluster_concurrent_${process.pid}`;
  const reference = `${database}_ref`;
  let a: Instance;
  let b: Instance;
  const dir = mkdtempSync(join(tmpdir(), 'sm-cluster-concurrent-'));
  let polls: Buffer;
  let hours: Buffer;
  const all = {
    polls: readFileSync(FIXTURE.polls),
    business_hours: readFileSync(FIXTURE.business_hours),
    timezones: readFileSync(FIXTURE.timezones),
  };

  beforeAll(async () => {
    const feeds = await writeSyntheticFeeds(dir, resolveFeedOptions({ stores: 400, days: 8, seed: 'cluster-concurrent' }));
    polls = readFileSync(feeds.files.polls);
    hours = readFileSync(feeds.files.business_hours);
    a = await Instance.start('node1', { DATABASE_URL: nodeUrl(1, database) });
    b = await Instance.start('node2', { DATABASE_URL: nodeUrl(2, database) });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDatabase(database);
    await dropDatabase(reference);
    rmSync(dir, { recursive: true, force: true });
  });

  /** What one import of `files` alone makes (through node 3, into a database of its own). */
  async function digestOfOneImport(files: Record<string, Buffer>) {
    await dropDatabase(reference);
    const alone = await Instance.start('alone', { DATABASE_URL: nodeUrl(3, reference) });
    try {
      expect((await postImport(alone.base, files)).status).toBe(200);
    } finally {
      await alone.stop();
    }
    return dataDigest(3, reference);
  }

  async function emptyTables() {
    for (const table of ['poll', 'business_hours', 'store_timezone', 'store', 'import_run']) {
      await queryNode(1, `DELETE FROM ${table}`, database);
    }
  }

  async function importTwiceAtOnce(files: Record<string, Buffer>) {
    const answers = await Promise.all([postImport(a.base, files), postImport(b.base, files)]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    return answers.map((r, i) => ({ status: r.status, body: bodies[i] }));
  }

  it('a polls file, five times: every import answers 200 and the data equals one import’s; the conflicts were retried', async () => {
    const expected = await digestOfOneImport({ polls });
    const retries = () => (a.log + b.log).match(/poll batch of \d+ rows: try \d+ of \d+ failed \(ER_LOCK_DEADLOCK/g)?.length ?? 0;
    // Five rounds, and more (up to ten) until Galera refused at least one batch: the test is of that case.
    let round = 0;
    while (round < 5 || (retries() === 0 && round < 10)) {
      round++;
      await emptyTables();
      const answers = await importTwiceAtOnce({ polls });
      expect(answers.map((x) => x.status)).toEqual([200, 200]);
      for (const n of [1, 2, 3] as const) expect(await dataDigest(n, database)).toEqual(expected);
      const [one, two] = answers.map((x) => JSON.parse(x.body) as { polls: { read: number; rejected: number } });
      expect(one.polls).toMatchObject({ read: two.polls.read, rejected: two.polls.rejected });
    }
    process.stderr.write(`concurrent polls imports: ${round} rounds, ${retries()} poll batch(es) retried after a conflict\n`);
    expect(retries()).toBeGreaterThan(0);
  });

  it('a business-hours file, until Galera refused one of the two transactions: both answer 200, the schedules are one import’s', async () => {
    const expected = await digestOfOneImport({ business_hours: hours });
    const retries = () => (a.log + b.log).match(/business hours of \d+ stores: try \d+ of \d+ failed/g)?.length ?? 0;
    let round = 0;
    while (round < 3 || (retries() === 0 && round < 12)) {
      round++;
      await emptyTables();
      const answers = await importTwiceAtOnce({ business_hours: hours });
      expect(answers.map((x) => x.status)).toEqual([200, 200]);
      for (const n of [1, 2, 3] as const) expect(await dataDigest(n, database)).toEqual(expected);
    }
    process.stderr.write(`concurrent hours imports: ${round} rounds, ${retries()} transaction(s) retried after a conflict\n`);
    expect(retries()).toBeGreaterThan(0);
  });

  it('all three files, three times: every import answers 200 and the data equals one import’s', async () => {
    const expected = await digestOfOneImport(all);
    for (let round = 1; round <= 3; round++) {
      await emptyTables();
      const answers = await importTwiceAtOnce(all);
      expect(answers.map((x) => x.status)).toEqual([200, 200]);
      for (const n of [1, 2, 3] as const) expect(await dataDigest(n, database)).toEqual(expected);
    }
    const retried = (a.log + b.log).match(/(business hours|time zones) of \d+ stores: try \d+/g) ?? [];
    process.stderr.write(`concurrent full imports: ${retried.length} hours/zones transaction(s) retried after a conflict\n`);
  });
});
