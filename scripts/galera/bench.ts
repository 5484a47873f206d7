/**
 * `npm run bench:cluster`: import and report through a three-node Galera cluster on this machine
 * (scripts/galera/cluster.sh, started when it is not up), beside the single MariaDB server at
 * BENCH_MYSQL_URL (default root@127.0.0.1:3306), in the same run, on the same data set.
 *
 * For each target: a fresh database; the service as separate processes (single: one instance;
 * cluster: an importing instance on node 1, a reporting instance on node 2, each DATABASE_URL
 * naming all three nodes, its own node first); POST /import of the three files, streamed; then
 * three reports, each timed from POST /trigger_report to the Complete answer of GET /get_report
 * (polled every 50 ms through the reporting instance). The CSVs of both targets must be equal.
 *
 * Options: --stores N (default 4500), --days D (default 11), --reports R (default 3),
 * --out FILE (default bench-data/cluster-bench.json). Progress on stderr, the table on stdout.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { writeSyntheticFeeds, WrittenFeeds } from '../../src/seed/feed-files.util';
import { resolveFeedOptions } from '../../src/seed/synthetic-feed';
import { postImport } from '../bench/http';
import { log, median, now, round } from '../bench/common';
import { pollReport } from '../support/report-polling';
import { request } from '../support/http';
import { freePort, spawnServer, stopServer, waitForHealth } from '../support/server-process';

const ROOT = resolve(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'galera', 'cluster.sh');
const PORT_BASE = Number(process.env.GALERA_PORT_BASE ?? 23300);
const SINGLE = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

interface Server {
  name: string;
  base: string;
  port: number;
  stop(): Promise<void>;
}

async function startServer(name: string, databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = spawnServer({
    script: join(ROOT, 'dist', 'src', 'main.js'),
    port,
    env: { DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHealth(child, port, name, { timeoutMs: 60_000 });
  return { name, port, base: `http://127.0.0.1:${port}`, stop: () => stopServer(child, name) };
}

async function dropDatabase(serverUrl: string, database: string) {
  const conn = await createConnection({ uri: `${serverUrl}/` });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}

interface TargetResult {
  target: string;
  importMs: number;
  pollsPerSec: number;
  reportMs: number[];
  reportMedianMs: number;
  csvSha: string;
}

async function measure(
  target: string,
  importer: Server,
  reporter: Server,
  feeds: WrittenFeeds,
  reports: number,
): Promise<{ result: TargetResult; csv: string }> {
  log(`${target}: POST /import (${feeds.stats.polls.rows.toLocaleString('en-US')} polls) through ${importer.name}…`);
  const started = now();
  const answer = await postImport(importer.port, feeds.files, 30 * 60_000);
  const importMs = now() - started;
  if (answer.status !== 200)
    throw new Error(`${target}: import answered ${answer.status}: ${answer.body.toString().slice(0, 300)}`);
  log(`${target}: imported in ${round(importMs / 1000, 2)} s`);
  const reportMs: number[] = [];
  let csv = '';
  for (let i = 0; i < reports; i++) {
    const t0 = performance.now();
    const trigger = await request(reporter.base, 'POST', '/trigger_report');
    if (trigger.status !== 202) throw new Error(`${target}: trigger answered ${trigger.status}`);
    const { report_id: id } = JSON.parse(trigger.body.toString()) as { report_id: string };
    const done = await pollReport(reporter.base, id, { everyMs: 50, timeoutMs: 10 * 60_000, startedAt: t0 });
    if (done.csv === undefined) throw new Error(`${target}: report ${id} ended ${JSON.stringify(done.body)}`);
    reportMs.push(done.at - t0);
    csv = done.csv;
    log(`${target}: report ${i + 1} of ${reports} in ${round((done.at - t0) / 1000, 2)} s through ${reporter.name}`);
  }
  return {
    csv,
    result: {
      target,
      importMs: round(importMs),
      pollsPerSec: round(feeds.stats.polls.rows / (importMs / 1000)),
      reportMs: reportMs.map((ms) => round(ms)),
      reportMedianMs: round(median(reportMs)),
      csvSha: createHash('sha256').update(csv).digest('hex').slice(0, 16),
    },
  };
}

async function main() {
  const stores = Number(option('stores', '4500'));
  const days = Number(option('days', '11'));
  const reports = Number(option('reports', '3'));
  const out = resolve(option('out', join(ROOT, 'bench-data', 'cluster-bench.json')));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();

  log('starting the cluster (when it is not up)…');
  const up = spawnSync('bash', [SCRIPT, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (up.status !== 0) throw new Error('the Galera cluster did not start');

  const dataDir = join(ROOT, 'bench-data', 'sets', `cluster-${stores}x${days}`);
  log(`data set: ${stores} stores × ${days} days in ${dataDir}…`);
  const feeds = await writeSyntheticFeeds(dataDir, resolveFeedOptions({ stores, days, seed: 'bench-cluster' }));

  const database = 'sm_bench_cluster';
  const node = (n: number) => `127.0.0.1:${PORT_BASE + n}`;
  const clusterUrl = (first: number) =>
    `mysql://root@${[first, ...[1, 2, 3].filter((n) => n !== first)].map(node).join(',')}/${database}`;
  const results: TargetResult[] = [];
  const csvs: string[] = [];

  // The single server.
  await dropDatabase(SINGLE, database);
  const single = await startServer('single', `${SINGLE}/${database}`);
  try {
    const { result, csv } = await measure('single MariaDB', single, single, feeds, reports);
    results.push(result);
    csvs.push(csv);
  } finally {
    await single.stop();
    await dropDatabase(SINGLE, database);
  }

  // The cluster: import through node 1, reports through node 2.
  await dropDatabase(`mysql://root@${node(1)}`, database);
  const importer = await startServer('instance on node 1', clusterUrl(1));
  const reporter = await startServer('instance on node 2', clusterUrl(2));
  try {
    const { result, csv } = await measure('Galera, 3 nodes', importer, reporter, feeds, reports);
    results.push(result);
    csvs.push(csv);
  } finally {
    await Promise.all([importer.stop(), reporter.stop()]);
    await dropDatabase(`mysql://root@${node(1)}`, database);
  }

  const identical = csvs[0] === csvs[1];
  const run = {
    date: new Date().toISOString(),
    commit,
    machine: {
      nproc: os.availableParallelism(),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      loadAverageAtStart: os.loadavg()[0],
    },
    dataSet: { stores, days, polls: feeds.stats.polls.rows },
    results,
    identicalCsv: identical,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(run, null, 2)}\n`);

  const row = (label: string, f: (r: TargetResult) => string) => `| ${label} | ${results.map(f).join(' | ')} |`;
  process.stdout.write(
    [
      `| | ${results.map((r) => r.target).join(' | ')} |`,
      `|:--|${results.map(() => '--:').join('|')}|`,
      row('import wall time (s)', (r) => (r.importMs / 1000).toFixed(2)),
      row('import, polls/s', (r) => r.pollsPerSec.toLocaleString('en-US')),
      row(`report trigger→Complete, median of ${reports} (s)`, (r) => (r.reportMedianMs / 1000).toFixed(2)),
      row('reports (s)', (r) => r.reportMs.map((ms) => (ms / 1000).toFixed(2)).join(' / ')),
      '',
      `${feeds.stats.polls.rows.toLocaleString('en-US')} polls, ${stores} stores × ${days} days; commit ${commit}; ${run.date}; CSVs ${identical ? 'identical' : 'DIFFERENT'}`,
      '',
    ].join('\n'),
  );
  if (!existsSync(out)) throw new Error('results not written');
  if (!identical) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`bench:cluster: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
