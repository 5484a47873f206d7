import { readFileSync } from 'node:fs';
import { Instance } from '../support/instances';
import { FIXTURE, postImport } from '../support/test-app';
import { dataDigest, dropDatabase, expectFixtureReport, nodeUrl } from './cluster';

const fixtureFiles = () =>
  Object.fromEntries((['polls', 'business_hours', 'timezones'] as const).map((f) => [f, readFileSync(FIXTURE[f])]));

/**
 * One instance of the service per node (each DATABASE_URL names one node): what is written
 * through one node is read through the others, at once.
 */
describe('one instance per Galera node', () => {
  const database = `sm_cluster_across_${process.pid}`;
  let instances: Instance[] = [];

  beforeAll(async () => {
    // One after the other: the first creates the schema (concurrent starts are the migrations suite's).
    for (const n of [1, 2, 3] as const) instances.push(await Instance.start(`node${n}`, { DATABASE_URL: nodeUrl(n, database) }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    instances = [];
    await dropDatabase(database);
  });

  it('imports through node 1 and reports through nodes 2 and 3: identical CSVs, equal to the fixture', async () => {
    const [one, two, three] = instances;
    const res = await postImport(one.base, fixtureFiles());
    expect(res.status).toBe(200);
    // Triggered at once after the import answered, with the default as_of (the latest poll, read on that node).
    const [onTwo, onThree] = await Promise.all([two.trigger(), three.trigger()]);
    const [csvTwo, csvThree] = await Promise.all([two.csvOf(onTwo), three.csvOf(onThree)]);
    expect(csvTwo).toBe(csvThree);
    expectFixtureReport(csvTwo);
    // And every node holds the same rows.
    const digests = await Promise.all([1, 2, 3].map((n) => dataDigest(n as 1 | 2 | 3, database)));
    expect(digests[1]).toEqual(digests[0]);
    expect(digests[2]).toEqual(digests[0]);
  });

  it('finds at once, through node 2, a report just triggered through node 1: 50 times, never a 404', async () => {
    const [one, two] = instances;
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = await one.trigger({ as_of: '2023-03-13T15:00:00Z' });
      ids.push(id);
      const res = await fetch(`${two.base}/get_report/${id}`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Each of them is built (by whichever instance claimed it) and the same.
    const csvs = await Promise.all(ids.map((id) => two.csvOf(id, 120_000)));
    expect(new Set(csvs).size).toBe(1);
    const { body } = await two.json<{ reports: unknown[] }>('/reports?status=Running');
    expect(body.reports).toEqual([]);
  });
});
