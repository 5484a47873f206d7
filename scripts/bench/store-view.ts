/**
 * `npm run bench -- --store-view`: the latency of GET /stores/:store_id (GitHub issue 11) at the
 * real feed's size, on each database, through the real server (docs/benchmarks.md explains it).
 *
 * 1. The main data set (the bench's default, reused from bench-data/sets) is imported into a fresh
 *    database by a server of its own (the import phase of the main bench).
 *    On MariaDB the measurement waits (up to 2 minutes) until InnoDB has written the import's
 *    pages (fewer than 1,000 dirty), so the flushing that follows an import is not measured.
 * 2. A second server on that database answers, with nothing else to do, GET /stores/<id> (default
 *    as_of) for --view-stores random stores, open loop, one request every 10 ms: "no report".
 * 3. The same stores again while reports run back to back (each triggered as soon as the one
 *    before completes): "a report running". Only requests sent while a report was Running count.
 * 4. Every view's six figures are checked against that store's row of the reports' CSV (same
 *    default as_of): they must be equal, figure for figure.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { mulberry32 } from '../../src/common/utils/mulberry32.util';
import { REPORT_HEADER } from '../../src/engine/utils';
import { HttpAnswer, request } from '../support/http';
import { pollReport } from '../support/report-polling';
import { bounded, sleep } from '../support/wait';
import type { BenchArgs } from './args';
import { Build, distChangedSince, snapshotDist } from './code-under-test';
import { log, now, percentile, round } from './common';
import { ALL_FEEDS, DataSet, ensureMainSet } from './data-sets';
import { Db, mariadbStatus, withDatabase } from './databases';
import { ImportResult, importPhase } from './import-phase';
import { machine, MachineInfo } from './machine';
import { fmt, table } from './results';
import { ServerProcess, withServer } from './server';

/** A MariaDB database of its own: the main bench may run beside this one and drops its own. */
const MYSQL_DB = 'store_monitor_bench_view';
const EVERY_MS = 10;
const MAX_IN_FLIGHT = 64;
const WARM_UP = 100;
const SEED = 11;
const FIGURES = REPORT_HEADER.split(',').slice(1);
/**
 * The statements of one view: its snapshot's three (SET TRANSACTION, START TRANSACTION, COMMIT),
 * the latest poll, the store, its hours, its zone, and the two of its polls.
 */
const STATEMENTS_PER_VIEW = 9;

export interface Latency {
  /** Requests counted. */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/**
 * What else the machine did during a phase: the machine and its MariaDB are shared with other
 * work, which shows in the tails. `otherStatements` (no-report phase only) is what MariaDB
 * received beyond the views' own statements.
 */
export interface Surroundings {
  loadAverageAtEnd: number;
  mariadbStatements: number | null;
  otherStatements: number | null;
  /** InnoDB pages read from disk during the phase (buffer pool misses), by every client. */
  mariadbDiskReads: number | null;
}

const COUNTERS = ['Questions', 'Innodb_buffer_pool_reads'] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

export interface StoreViewResult {
  database: Db;
  dataSet: string;
  stores: number;
  import: ImportResult;
  /** Answer size, mean over the quiet phase (bytes). */
  meanAnswerBytes: number;
  quiet: Latency & { surroundings: Surroundings };
  /** Requests sent while a report was Running; `sent` counts them all, the gaps between reports included. */
  underReport: Latency & { sent: number; reports: number; reportMedianMs: number; surroundings: Surroundings };
  /** Views whose six figures equal the store's report row, of those checked (both phases). */
  equalToReport: { equal: number; checked: number };
  /** MariaDB: dirty InnoDB pages after the import, and the wait for them to be written (ms). */
  settle: { dirtyPagesAfterImport: number; dirtyPagesAtStart: number; waitedMs: number } | null;
  /** RSS of the view server at the start, and its peak over both phases (VmHWM). */
  rssAtStartMb: number;
  peakRssMb: number;
}

export interface StoreViewResults {
  machine: MachineInfo;
  build: Build;
  args: BenchArgs;
  dataSet: Pick<DataSet, 'name' | 'options' | 'rows' | 'bytes' | 'generatedMs'>;
  results: StoreViewResult[];
  failures: Array<{ phase: string; error: string }>;
  benchWallS: number;
  loadAverageAtEnd: number;
}

export async function storeViewBench(args: BenchArgs): Promise<void> {
  const dbs: Db[] = args.only ? [args.only] : ['sqlite', 'mysql'];
  await mkdir(args.dataDir, { recursive: true });
  const started = now();
  const set = await ensureMainSet(args);
  const info = await machine(dbs, args);
  log(`machine: ${JSON.stringify(info)}`);
  const build = await snapshotDist(args.dataDir);

  const results: StoreViewResult[] = [];
  const failures: StoreViewResults['failures'] = [];
  for (const db of dbs) {
    try {
      results.push(await storeViewRun(db, set, args));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${db} store view: ${message}`);
      failures.push({ phase: `${db} store view`, error: message });
    }
  }
  build.distChangedDuringRun = await distChangedSince(build);
  const out: StoreViewResults = {
    machine: info,
    build,
    args,
    dataSet: { name: set.name, options: set.options, rows: set.rows, bytes: set.bytes, generatedMs: set.generatedMs },
    results,
    failures,
    benchWallS: round((now() - started) / 1000, 1),
    loadAverageAtEnd: round(os.loadavg()[0], 2),
  };
  await writeFile(args.out, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${resultText(out)}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

/** Import into a fresh database with one server, then both measurements with another. */
function storeViewRun(db: Db, set: DataSet, args: BenchArgs): Promise<StoreViewResult> {
  const name = `${db}-store-view`;
  return withDatabase(
    db,
    name,
    args,
    async (url) => {
      const imported = await withServer(`${name}-import`, url, args, (server) => importPhase(server, db, set, ALL_FEEDS, args));
      const settle = db === 'mysql' ? await settleMariadb(args) : null;
      return withServer(name, url, args, async (server) => {
        const rssAtStartMb = server.memory().rssMb;
        const ids = await allStoreIds(server);
        if (ids.length !== set.options.stores)
          throw new Error(`GET /stores listed ${ids.length} stores, the set has ${set.options.stores}`);
        const rand = mulberry32(SEED);
        const shuffled = [...ids];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const sample = shuffled.slice(0, Math.min(args.viewStores, ids.length));
        // Warm-up (not counted): the first requests pay for the JIT and for cold pages.
        await openLoop(server, shuffled.slice(-WARM_UP));

        log(`${server.name}: ${sample.length} views, no report running…`);
        let counters = db === 'mysql' ? await mariadbStatus(args, COUNTERS) : null;
        const quiet = await openLoop(server, sample);
        const quietLatency = latencyOf(quiet.map((a) => a.ms));
        const quietSurroundings = await surroundings(args, counters, quiet.length);
        log(
          `${server.name}: no report: p50/p99 ${quietLatency.p50Ms}/${quietLatency.p99Ms} ms, ${JSON.stringify(quietSurroundings)}`,
        );

        log(`${server.name}: ${sample.length} views, reports running back to back…`);
        counters = db === 'mysql' ? await mariadbStatus(args, COUNTERS) : null;
        const loaded = await underReports(server, sample, args);
        const loadedSurroundings = await surroundings(args, counters, null);
        const counted = loaded.answers.filter((a) => a.duringReport);
        const loadedLatency = latencyOf(counted.map((a) => a.ms));
        log(
          `${server.name}: a report running: p50/p99 ${loadedLatency.p50Ms}/${loadedLatency.p99Ms} ms (${counted.length} of ${loaded.answers.length} sent while Running, ${loaded.reportMs.length} reports)`,
        );

        const rows = reportRows(loaded.csv);
        let equal = 0;
        const both = [...quiet, ...loaded.answers];
        for (const a of both) {
          const view = JSON.parse(a.body.toString()) as Record<string, unknown>;
          const row = rows.get(String(view.store_id));
          if (row && FIGURES.every((column, i) => view[column] === row[i])) equal++;
        }
        if (equal !== both.length) log(`WARNING: ${server.name}: ${both.length - equal} views differ from their report row`);
        return {
          database: db,
          dataSet: set.name,
          stores: ids.length,
          import: imported,
          meanAnswerBytes: Math.round(quiet.reduce((sum, a) => sum + a.body.length, 0) / quiet.length),
          quiet: { ...quietLatency, surroundings: quietSurroundings },
          underReport: {
            ...loadedLatency,
            surroundings: loadedSurroundings,
            sent: loaded.answers.length,
            reports: loaded.reportMs.length,
            reportMedianMs: Math.round(
              percentile(
                [...loaded.reportMs].sort((a, b) => a - b),
                50,
              ),
            ),
          },
          equalToReport: { equal, checked: both.length },
          settle,
          rssAtStartMb,
          peakRssMb: server.memory().peakMb,
        };
      });
    },
    MYSQL_DB,
  );
}

/** The load average now, and MariaDB's counters since `before`: statements (less the views' own when `views` is given), disk reads. */
async function surroundings(args: BenchArgs, before: Counters | null, views: number | null): Promise<Surroundings> {
  const loadAverageAtEnd = round(os.loadavg()[0], 2);
  if (before === null) return { loadAverageAtEnd, mariadbStatements: null, otherStatements: null, mariadbDiskReads: null };
  const after = await mariadbStatus(args, COUNTERS);
  // Less one: the SHOW STATUS that read the counters before.
  const mariadbStatements = after.Questions - before.Questions - 1;
  const otherStatements = views === null ? null : Math.max(0, mariadbStatements - STATEMENTS_PER_VIEW * views);
  return {
    loadAverageAtEnd,
    mariadbStatements,
    otherStatements,
    mariadbDiskReads: after.Innodb_buffer_pool_reads - before.Innodb_buffer_pool_reads,
  };
}

/** Waits until InnoDB has written the import's pages (under 1,000 dirty), 2 minutes at most. */
async function settleMariadb(args: BenchArgs) {
  const started = now();
  const dirtyPages = async () => (await mariadbStatus(args, ['Innodb_buffer_pool_pages_dirty'])).Innodb_buffer_pool_pages_dirty;
  const dirtyPagesAfterImport = await dirtyPages();
  let dirty = dirtyPagesAfterImport;
  while (dirty >= 1000 && now() - started < 120_000) {
    await sleep(1000);
    dirty = await dirtyPages();
  }
  const waitedMs = Math.round(now() - started);
  log(`MariaDB: ${dirtyPagesAfterImport} dirty pages after the import, ${dirty} after ${round(waitedMs / 1000, 1)} s`);
  return { dirtyPagesAfterImport, dirtyPagesAtStart: dirty, waitedMs };
}

/** Every store id, through GET /stores, 1,000 a page. */
async function allStoreIds(server: ServerProcess): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await request(server.base, 'GET', `/stores?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`);
    if (res.status !== 200) throw new Error(`GET /stores answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
    const page = JSON.parse(res.body.toString()) as { stores: Array<{ store_id: string }>; next_cursor: string | null };
    ids.push(...page.stores.map((s) => s.store_id));
    cursor = page.next_cursor;
  } while (cursor !== null);
  return ids;
}

interface ViewAnswer extends HttpAnswer {
  /** Whether a report was Running when the request left. */
  duringReport: boolean;
}

/**
 * GET /stores/<id> for each id, one leaving every 10 ms whether or not the earlier ones have
 * answered (at most 64 in flight), so a stall shows in every request it holds up. Latency runs
 * from sending to the last byte of the answer; any answer but 200 ends the run.
 */
async function openLoop(server: ServerProcess, ids: string[], reportRunning: () => boolean = () => false): Promise<ViewAnswer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const answers: ViewAnswer[] = [];
  const pending: Array<Promise<void>> = [];
  let failure: Error | undefined;
  let inFlight = 0;
  const started = now();
  try {
    for (let i = 0; i < ids.length && failure === undefined; i++) {
      await sleep(Math.max(0, started + i * EVERY_MS - now()));
      while (inFlight >= MAX_IN_FLIGHT) await sleep(1);
      inFlight++;
      const duringReport = reportRunning();
      pending.push(
        request(server.base, 'GET', `/stores/${ids[i]}`, { agent, timeoutMs: 30_000 })
          .then((res) => {
            if (res.status !== 200)
              throw new Error(`GET /stores/${ids[i]} answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
            answers.push({ ...res, duringReport });
          })
          .catch((error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(String(error));
          })
          .finally(() => inFlight--),
      );
    }
    await bounded('the last GET /stores/<id>', 60_000, () => Promise.all(pending));
  } finally {
    agent.destroy();
  }
  if (failure !== undefined) throw failure;
  return answers;
}

/** The open loop while reports run one after the other; the last report's CSV for the check. */
async function underReports(server: ServerProcess, ids: string[], args: BenchArgs) {
  let running = false;
  let stop = false;
  let failed: Error | undefined;
  let csv = '';
  const reportMs: number[] = [];
  const reports = (async () => {
    while (!stop) {
      const t0 = now();
      const trigger = await request(server.base, 'POST', '/trigger_report', {
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      });
      if (trigger.status !== 202) throw new Error(`POST /trigger_report answered ${trigger.status}`);
      running = true;
      const id = (JSON.parse(trigger.body.toString()) as { report_id: string }).report_id;
      const done = await pollReport(server.base, id, { everyMs: 50, timeoutMs: args.reportTimeoutS * 1000, startedAt: t0 });
      running = false;
      if (done.csv === undefined) throw new Error(`report ${id} failed: ${done.body?.error}`);
      csv = done.csv;
      reportMs.push(done.at - t0);
    }
  })().catch((error: unknown) => {
    running = false;
    failed = error instanceof Error ? error : new Error(String(error));
  });
  const finish = async () => {
    stop = true;
    await bounded('the last report of the store-view bench', args.reportTimeoutS * 1000, () => reports);
    if (failed !== undefined) throw failed;
    return csv;
  };
  try {
    // Let the first report start before the first view leaves.
    await bounded('the first report to start', 60_000, async () => {
      while (!running && failed === undefined) await sleep(1);
    });
    const answers = await openLoop(server, ids, () => running);
    return { answers, reportMs, csv: await finish() };
  } catch (error) {
    await finish().catch(() => undefined);
    throw error;
  }
}

/** The report's rows by store id, figures as numbers. */
function reportRows(csv: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of csv.split('\n').slice(1)) {
    if (line === '') continue;
    const [id, ...figures] = line.split(',');
    rows.set(id, figures.map(Number));
  }
  return rows;
}

function latencyOf(ms: number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 1),
    meanMs: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length, 1),
  };
}

function resultText(r: StoreViewResults): string {
  const { machine: info, build } = r;
  const cell = (f: (x: StoreViewResult) => string) => r.results.map(f);
  const out = [
    `Store Monitor store-view benchmark, ${info.date}: ${info.nproc} CPUs (${info.cpuModel}), load ${info.loadAverageAtStart} → ${r.loadAverageAtEnd}, Node ${info.node}` +
      (info.mariadb ? `, MariaDB ${info.mariadb} (buffer pool ${info.innodbBufferPoolMiB} MiB)` : '') +
      `, SQLite ${info.sqlite}`,
    `code: commit ${build.commit?.slice(0, 12) ?? 'unknown'}, digest ${build.distSha256}${build.distChangedDuringRun ? ' (dist/ rebuilt during the run; the snapshot was measured)' : ''}`,
    `data set: ${r.dataSet.name}, ${fmt(r.dataSet.rows.polls)} polls, ${r.dataSet.options.stores} stores`,
    '',
    table(
      ['', ...r.results.map((x) => x.database), 'target'],
      [
        [
          'GET /stores/:id, no report: p50 / p99 (ms)',
          ...cell((x) => `${fmt(x.quiet.p50Ms, 1)} / ${fmt(x.quiet.p99Ms, 1)}`),
          'p99 ≤ 20',
        ],
        [
          'GET /stores/:id, a report running: p50 / p99 (ms)',
          ...cell((x) => `${fmt(x.underReport.p50Ms, 1)} / ${fmt(x.underReport.p99Ms, 1)}`),
          'p99 ≤ 20',
        ],
        [
          'max, no report / a report running (ms)',
          ...cell((x) => `${fmt(x.quiet.maxMs, 1)} / ${fmt(x.underReport.maxMs, 1)}`),
          '',
        ],
        [
          'requests counted: no report / while Running (of sent)',
          ...cell((x) => `${x.quiet.requests} / ${x.underReport.requests} (${x.underReport.sent})`),
          '',
        ],
        [
          'reports run meanwhile, median trigger→Complete (s)',
          ...cell((x) => `${x.underReport.reports}, ${fmt(x.underReport.reportMedianMs / 1000, 2)}`),
          '',
        ],
        ['views equal to their report row', ...cell((x) => `${x.equalToReport.equal} / ${x.equalToReport.checked}`), 'all'],
        [
          'load average at the end: no report / a report running',
          ...cell(
            (x) => `${fmt(x.quiet.surroundings.loadAverageAtEnd, 2)} / ${fmt(x.underReport.surroundings.loadAverageAtEnd, 2)}`,
          ),
          '',
        ],
        [
          'InnoDB pages read from disk: no report / a report running',
          ...cell((x) =>
            x.quiet.surroundings.mariadbDiskReads === null
              ? ''
              : `${fmt(x.quiet.surroundings.mariadbDiskReads)} / ${fmt(x.underReport.surroundings.mariadbDiskReads ?? Number.NaN)}`,
          ),
          '',
        ],
        [
          'MariaDB statements from others during the no-report phase',
          ...cell((x) => (x.quiet.surroundings.otherStatements === null ? '' : fmt(x.quiet.surroundings.otherStatements))),
          '',
        ],
        ['answer size, mean (KB)', ...cell((x) => fmt(x.meanAnswerBytes / 1024, 1)), ''],
        [
          'InnoDB dirty pages after the import → at the start (wait, s)',
          ...cell((x) =>
            x.settle
              ? `${x.settle.dirtyPagesAfterImport} → ${x.settle.dirtyPagesAtStart} (${fmt(x.settle.waitedMs / 1000, 1)})`
              : '',
          ),
          '',
        ],
        ['RSS at start → peak of the view server (MB)', ...cell((x) => `${fmt(x.rssAtStartMb)} → ${fmt(x.peakRssMb)}`), ''],
      ],
    ),
  ];
  for (const f of r.failures) out.push('', `FAILED ${f.phase}: ${f.error}`);
  out.push('', `results written to ${r.args.out} (bench took ${fmt(r.benchWallS, 0)} s)`);
  return out.join('\n');
}
