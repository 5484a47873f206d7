import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../scripts/support/wait';
import { writeSyntheticFeeds, WrittenFeeds } from '../../src/seed/feed-files.util';
import { resolveFeedOptions } from '../../src/seed/synthetic-feed';
import { Instance } from '../support/instances';
import { postImport } from '../support/test-app';
import { clusterScript, clusterUrl, dataDigest, dropDatabase, nodeOf, nodeUrl, queryNode } from './cluster';

/**
 * kill -9 of the node an import is writing through. The instance's DATABASE_URL names every node:
 * it moves to the next one and redoes the batch that was cut (batches are idempotent), or, when
 * no node takes it within the retries, the import fails cleanly and a second run completes it.
 * Reports being built meanwhile finish; none is left Running. The killed node then comes back
 * (--wsrep-recover, IST) with the same data.
 */
describe('a Galera node lost in the middle of an import', () => {
  const database = `sm_cluster_failover_${process.pid}`;
  const reference = `${database}_ref`;
  const dir = mkdtempSync(join(tmpdir(), 'sm-cluster-failover-'));
  let feeds: WrittenFeeds;
  let killed: 1 | 2 | 3 | undefined;
  const started: Instance[] = [];

  beforeAll(async () => {
    // About 450,000 polls (nine batches): an import of several seconds through the cluster.
    feeds = await writeSyntheticFeeds(dir, resolveFeedOptions({ stores: 1500, days: 8, seed: 'cluster-failover' }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(started.map((i) => i.stop()));
    if (killed !== undefined) clusterScript('restart', String(killed));
    await dropDatabase(database);
    await dropDatabase(reference);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails over (or fails cleanly, and a re-run completes); no report is left Running; the node comes back with the same data', async () => {
    const files = {
      polls: readFileSync(feeds.files.polls),
      business_hours: readFileSync(feeds.files.business_hours),
      timezones: readFileSync(feeds.files.timezones),
    };
    // The instance under test starts on node 1; a second one, on node 3, stays untouched.
    const writer = await Instance.start('writer', { DATABASE_URL: clusterUrl(database, 1), REPORT_LEASE_S: '5' });
    started.push(writer);
    const other = await Instance.start('other', { DATABASE_URL: clusterUrl(database, 3), REPORT_LEASE_S: '5' });
    started.push(other);
    const before = (await writer.json('/health')).body as { node: string };
    const victim = nodeOf(before);
    expect(victim).toBe(1);

    const accepted = await postImport(writer.base, files, '?async=true');
    expect(accepted.status).toBe(202);
    const { import_id: id } = (await accepted.json()) as { import_id: string };
    // Wait until the first batch of polls is committed (seen through node 3): the writer is in the
    // middle of the polls. Then trigger a report and kill the node under both.
    for (const until = Date.now() + 60_000; ;) {
      const [{ n }] = await queryNode<{ n: string }>(3, 'SELECT COUNT(*) AS n FROM poll', database);
      if (Number(n) > 0) break;
      const { body } = await writer.json(`/imports/${id}`);
      if (body.status !== 'Running') throw new Error(`the import ended before the kill: ${JSON.stringify(body)}`);
      if (Date.now() > until) throw new Error('no poll written after 60 s');
      await sleep(20);
    }
    const report = await writer.trigger();
    clusterScript('kill', String(victim));
    killed = victim;

    // The import ends: Complete (failed over), or Failed with a clean, retryable reason.
    let run: any;
    for (const until = Date.now() + 120_000; ;) {
      run = (await writer.json(`/imports/${id}`)).body;
      if (run.status !== 'Running') break;
      if (Date.now() > until) throw new Error(`import still Running 120 s after the kill: ${JSON.stringify(run)}`);
      await sleep(250);
    }
    // eslint-disable-next-line no-control-regex -- the log's colour codes
    const plain = writer.log.replace(/\x1b\[[0-9;]*m/g, '');
    const moves = plain.split('\n').filter((l) => /lost|try \d+ of|import .*(complete|failed)/.test(l));
    process.stderr.write(`import after the kill: ${run.status}${run.error ? ` (${run.error})` : ''}\n${moves.join('\n')}\n`);
    if (process.env.DUMP_LOG) process.stderr.write(plain);
    // The kill did cut the import: a batch was redone, on another node.
    expect(plain).toMatch(/poll batch of \d+ rows: try 1 of \d+ failed/);
    expect(plain).toMatch(/database node 127\.0\.0\.1:\d+ lost/);
    expect(['Complete', 'Failed']).toContain(run.status);
    if (run.status === 'Failed') expect(run.error).toMatch(/run it again/);
    // The instance now works through another node, and says so.
    const after = await writer.json<{ node: string }>('/health');
    expect(after.status).toBe(200);
    expect(nodeOf(after.body)).not.toBe(victim);

    // A second run completes, whatever the first did.
    const again = await postImport(writer.base, files);
    expect(again.status).toBe(200);

    // The report triggered at the kill is finished by someone; nothing is left Running.
    await other.csvOf(report, 120_000).catch(() => undefined); // Complete, or Failed: not Running
    const running = await other.json<{ reports: unknown[] }>('/reports?status=Running');
    expect(running.body.reports).toEqual([]);
    const { body: ended } = await other.json(`/reports/${report}`);
    process.stderr.write(`report triggered at the kill: ${ended.status}${ended.error ? ` (${ended.error})` : ''}\n`);
    expect(ended.status).not.toBe('Running');

    // The data is what one import makes: compared with one import into a database of its own.
    const alone = await Instance.start('alone', { DATABASE_URL: nodeUrl(3, reference) });
    started.push(alone);
    expect((await postImport(alone.base, files)).status).toBe(200);
    const expected = await dataDigest(3, reference);
    expect(await dataDigest(2, database)).toEqual(expected);
    expect(await dataDigest(3, database)).toEqual(expected);

    // The lost node comes back by IST and holds the same rows.
    clusterScript('restart', String(victim));
    killed = undefined;
    expect(await dataDigest(victim, database)).toEqual(expected);
    expect(writer.exited).toBe(false);
  });
});
