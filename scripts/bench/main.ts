/**
 * `npm run bench`: the end-to-end benchmark of GitHub issue 4 (docs/benchmarks.md explains it).
 *
 * 1. Generates the data sets with the seed generator (src/seed) into ./bench-data/sets (kept and
 *    reused while their options are the same): the main set (default: the real feed's size),
 *    the last week and the 7 weeks before it (the same stores), and the main set at 10x stores.
 * 2. For each database (SQLite file, MariaDB database `store_monitor_bench`, both fresh per run)
 *    starts the real server (`node dist/src/main.js`) as a child process and measures over HTTP:
 *    - import: `POST /import` of the three files (multipart streamed from disk), wall time, polls/s;
 *    - report: `POST /trigger_report` to the `GET /get_report` that returns Complete, wall time,
 *      while sampling the latency of `GET /get_report` (p50/p99) every 20 ms;
 *    - the server's peak RSS (VmHWM from /proc, reset between import and report);
 *    - history: the report time with 8 weeks of polls against 1 week (same stores, same last week);
 *    - on MariaDB only, the same at 10x the stores;
 *    - on MariaDB, after the main set's reports, the CLI phase (cli-phase.ts): `store-monitor
 *      report` spawn to exit against a raw scan of its week, the same beside two busy processes,
 *      the CLI's start (unless --skip-cli).
 * 3. Measures the floors (raw CSV parse rate, the import's own reader, MariaDB's own LOAD DATA,
 *    SQLite's own bulk insert; MariaDB's LOAD DATA of the 10x set too), and each import's time as a
 *    ratio to its database's floor; on MariaDB the same ratio in adjacent floor-then-import pairs
 *    (paired-floor.ts, --paired-rounds).
 * 4. Prints a table and writes everything as JSON (--out, default bench-data/bench-results.json).
 *
 * With --store-view it measures only the latency of GET /stores/:store_id instead (store-view.ts);
 * with --health-probe only the latency of GET /health during imports (health-probe.ts); with
 * --concurrent-imports only 100 small imports at once (concurrent-imports.ts); with --cli-only
 * only the CLI phase, after an import and one HTTP report (cli-bench.ts).
 *
 * Every wait is bounded and fails with a clear error. Run `node dist/scripts/bench/main.js --help`.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from './args';
import { distChangedSince, MAIN_JS, snapshotDist } from './code-under-test';
import { log, now, round } from './common';
import { DataSet, ensureBenchDataSets } from './data-sets';
import { Db } from './databases';
import { measureFloors, measureLargeFloor } from './floors';
import { pairedFloorRatio } from './paired-floor';
import { machine } from './machine';
import { BenchResults, checks, resultsText } from './results';
import { HistoryResult, historyRun, MainResult, mainRun } from './runs';
import { healthProbeBench } from './health-probe';
import { storeViewBench } from './store-view';
import { concurrentImportsBench } from './concurrent-imports';
import { cliBench } from './cli-bench';
import { CliResult, cliPhase } from './cli-phase';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run npm run build first (npm run bench does)`);
  if (args.storeView) return storeViewBench(args);
  if (args.healthProbe) return healthProbeBench(args);
  if (args.concurrentImports) return concurrentImportsBench(args);
  if (args.cliOnly) return cliBench(args);
  const dbs: Db[] = args.only ? [args.only] : ['sqlite', 'mysql'];
  await mkdir(args.dataDir, { recursive: true });
  const benchStarted = now();

  const sets = await ensureBenchDataSets(args, dbs);
  const info = await machine(dbs, args);
  log(`machine: ${JSON.stringify(info)}`);
  const build = await snapshotDist(args.dataDir);

  // A phase that fails is recorded and the others still run.
  const failures: BenchResults['failures'] = [];
  const attempt = async <T>(phase: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${phase}: ${message}`);
      failures.push({ phase, error: message });
      return null;
    }
  };
  const mainResults: MainResult[] = [];
  const historyResults: HistoryResult[] = [];
  let cli = null as CliResult | null;
  const cliAfter = async (url: string, m: MainResult) => {
    cli = await attempt('mysql cli', () => cliPhase(url, args.mysqlDb, m, args));
  };
  for (const db of dbs) {
    const m = await attempt(`${db} main`, () =>
      mainRun(db, sets.main, `${db}-main`, args.reportRuns, args, db === 'mysql' && !args.skipCli ? cliAfter : undefined),
    );
    if (m) mainResults.push(m);
    if (sets.week && sets.older) {
      const { week, older } = sets;
      const h = await attempt(`${db} history`, () => historyRun(db, week, older, args));
      if (h) historyResults.push(h);
    }
  }
  const big = sets.big
    ? await attempt(`mysql ${args.scale}x`, () =>
        mainRun('mysql', sets.big!, `mysql-${args.scale}x`, Math.min(args.reportRuns, 2), args),
      )
    : null;
  const floors = args.skipFloors ? null : await attempt('floors', () => measureFloors(sets.main, dbs, args));
  const largeFloor =
    sets.big && !args.skipFloors ? await attempt(`floors ${args.scale}x`, () => measureLargeFloor(sets.big!, args)) : null;
  const paired =
    dbs.includes('mysql') && !args.skipFloors && args.pairedRounds > 0
      ? await attempt('mysql pairs', () => pairedFloorRatio(sets.main, args))
      : null;

  build.distChangedDuringRun = await distChangedSince(build);
  if (build.distChangedDuringRun)
    log('NOTE: dist/ was rebuilt during the run; the figures are of the snapshot taken at the start');
  const results: BenchResults = {
    machine: info,
    build,
    args,
    dataSets: [sets.main, sets.week, sets.older, sets.big]
      .filter((s): s is DataSet => s !== null)
      .map(({ name, options, rows, bytes, generatedMs }) => ({ name, options, rows, bytes, generatedMs })),
    main: mainResults,
    history: historyResults,
    large: big,
    cli,
    floors,
    largeFloor,
    failures,
    paired,
    reportsAgree: mainResults.length < 2 ? null : new Set(mainResults.map((m) => m.report.csvSha256)).size === 1,
    targets: checks(mainResults, historyResults, big, floors, largeFloor, failures, cli, paired),
    benchWallS: round((now() - benchStarted) / 1000, 1),
    loadAverageAtEnd: round(os.loadavg()[0], 2),
  };
  await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${resultsText(results, sets.main)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
