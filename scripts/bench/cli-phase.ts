/**
 * The CLI phase (GitHub issue 22): the `store-monitor` command as a user runs it, one process per
 * run, against the MariaDB database the main run has imported and reported on.
 *
 * - report: `node cli.js report --out FILE`, spawn to exit, median of --report-runs; its CSV must
 *   be byte for byte the HTTP report's (the same set, the same default as_of: the latest poll);
 * - the raw scan of the report's week (databases.ts, `mariadbWeekScan`): the floor it is held to;
 * - the same report while two CPU-bound processes spin beside it;
 * - the CLI's start: `--version` and `--help`, and `events --limit 1`, the cheapest command that
 *   queries the database (one page of one event: its whole run bounds start→first query from
 *   above), on MariaDB and on an empty migrated SQLite file.
 *
 * In the main run it follows the MariaDB report phase; `--cli-only` runs it alone after an import
 * and one HTTP report of the main set (cli-bench.ts).
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { formatInstantUs } from '../../src/common/utils/format-instant-us.util';
import type { BenchArgs } from './args';
import { cliScript, ROOT } from './code-under-test';
import { log, median, round } from './common';
import { Db, mariadbWeekScan, waitForQuietInnodb, WeekScan, withDatabase } from './databases';
import { runNode, withBusyProcesses } from './processes';
import { checkedReportCsv } from './report-phase';
import type { MainResult } from './runs';

/** Issue 22's targets. */
export const CLI_TARGETS = {
  /** report ≤ SCAN_FACTOR × the raw scan + SCAN_PLUS_MS */
  scanFactor: 1.5,
  scanPlusMs: 500,
  /** report under load ≤ LOAD_FACTOR × the quiet report */
  loadFactor: 2,
  startMs: 300,
  firstQueryMs: 600,
};

const BUSY_PROCESSES = 2;
const START_RUNS = 5;
const SCAN_RUNS = 3;
const START_TIMEOUT_MS = 60_000;
/** The cheapest command that queries the database: one event, no board, no report. */
export const FIRST_QUERY_COMMAND = ['events', '--limit', '1'];

export interface Timed {
  runsMs: number[];
  medianMs: number;
}

export interface CliStart {
  database: Db;
  version: Timed;
  help: Timed;
  /** `events --limit 1`, spawn to exit: an upper bound of the time from start to its first query. */
  firstQuery: Timed & { command: string };
}

export interface CliResult {
  dataSet: string;
  stores: number;
  /** The report's as_of: the latest poll (`MAX(timestamp_us)`), the end of the raw scan's week. */
  asOf: string;
  /** The service's default as_of (the latest `store.last_poll_us`) is that same instant. */
  asOfIsServiceDefault: boolean;
  report: Timed & { rows: number; csvBytes: number; csvSha256: string; sameAsHttp: boolean };
  rawScan: Timed & { rows: number; warmUpMs: number };
  reportUnderLoad: Timed & { busyProcesses: number };
  start: CliStart[];
  loadAverageAtEnd: number;
}

const timed = (runsMs: number[]): Timed => ({ runsMs, medianMs: round(median(runsMs), 1) });
const cliEnv = (databaseUrl: string): NodeJS.ProcessEnv => ({ DATABASE_URL: databaseUrl, NO_COLOR: '1' });

/** One CLI command, spawn to exit; `what` names it in errors and the log. */
const cli = (what: string, argv: string[], databaseUrl: string, timeoutMs: number) =>
  runNode(`store-monitor ${what}`, cliScript(), argv, { cwd: ROOT, env: cliEnv(databaseUrl), timeoutMs });

/** `runs` runs of one command after one not counted (Node's and the modules' files read once from disk). */
async function startRuns(label: string, argv: string[], databaseUrl: string, check: (stdout: Buffer) => void): Promise<Timed> {
  const ms: number[] = [];
  for (let i = 0; i <= START_RUNS; i++) {
    const run = await cli(argv.join(' '), argv, databaseUrl, START_TIMEOUT_MS);
    check(run.stdout);
    if (i > 0) ms.push(round(run.ms, 1));
  }
  const result = timed(ms);
  log(`cli ${label}: \`${argv.join(' ')}\` median ${result.medianMs} ms (${ms.join(', ')})`);
  return result;
}

/** --version, --help and the first-query command against one database. */
async function cliStart(database: Db, databaseUrl: string): Promise<CliStart> {
  const expectText = (flag: string, pattern: RegExp) => (stdout: Buffer) => {
    if (!pattern.test(stdout.toString())) throw new Error(`store-monitor ${flag} printed ${stdout.toString().slice(0, 200)}`);
  };
  return {
    database,
    version: await startRuns(`${database} start`, ['--version'], databaseUrl, expectText('--version', /^\d+\.\d+\.\d+/)),
    help: await startRuns(`${database} start`, ['--help'], databaseUrl, expectText('--help', /^Usage: store-monitor/)),
    firstQuery: {
      command: FIRST_QUERY_COMMAND.join(' '),
      ...(await startRuns(`${database} first query`, FIRST_QUERY_COMMAND, databaseUrl, (stdout) => {
        const page = JSON.parse(stdout.toString()) as { events?: unknown };
        if (!Array.isArray(page.events)) throw new Error(`store-monitor events printed ${stdout.toString().slice(0, 200)}`);
      })),
    },
  };
}

/** `runs` CLI reports into DIR/cli; every CSV checked, all of them the same bytes. */
async function cliReports(
  label: string,
  databaseUrl: string,
  expectedRows: number,
  runs: number,
  args: BenchArgs,
): Promise<{ timed: Timed; csv: ReturnType<typeof checkedReportCsv> }> {
  const dir = resolve(args.dataDir, 'cli');
  await mkdir(dir, { recursive: true });
  const ms: number[] = [];
  let csv: ReturnType<typeof checkedReportCsv> | undefined;
  for (let i = 0; i < runs; i++) {
    const out = join(dir, `report-${i + 1}.csv`);
    await rm(out, { force: true });
    try {
      const run = await cli(`report (${label})`, ['report', '--out', out], databaseUrl, args.reportTimeoutS * 1000);
      const checked = checkedReportCsv(await readFile(out), expectedRows, `CLI report ${label} #${i + 1}`);
      if (csv && checked.csvSha256 !== csv.csvSha256) throw new Error(`CLI report ${label}: the runs gave different CSVs`);
      csv = checked;
      ms.push(Math.round(run.ms));
      log(`cli report ${label} #${i + 1}: ${round(run.ms / 1000, 2)} s`);
    } finally {
      await rm(out, { force: true });
    }
  }
  return { timed: timed(ms), csv: csv! };
}

/**
 * The phase, on the MariaDB database at `databaseUrl` that holds `main`'s data set (imported, its
 * HTTP reports built); `mysqlDb` is that database's name (the raw scan connects to it).
 */
export async function cliPhase(databaseUrl: string, mysqlDb: string, main: MainResult, args: BenchArgs): Promise<CliResult> {
  await waitForQuietInnodb(args);
  const mysqlStart = await cliStart('mysql', databaseUrl);

  const scan: WeekScan = await mariadbWeekScan(args, mysqlDb, SCAN_RUNS);
  const rawScan = { ...timed(scan.runsMs), rows: scan.rows, warmUpMs: scan.warmUpMs };
  log(
    `raw scan of the week: ${scan.rows} rows, median ${rawScan.medianMs} ms (${scan.runsMs.join(', ')}; warm-up ${scan.warmUpMs})`,
  );
  const asOfIsServiceDefault = scan.serviceAsOfUs === scan.asOfUs;
  if (!asOfIsServiceDefault)
    log(
      `WARNING: the latest poll (${formatInstantUs(scan.asOfUs)}) is not the service's default as_of (${scan.serviceAsOfUs === null ? 'none' : formatInstantUs(scan.serviceAsOfUs)})`,
    );

  const quiet = await cliReports('quiet', databaseUrl, main.stores, args.reportRuns, args);
  const sameAsHttp = quiet.csv.csvSha256 === main.report.csvSha256;
  if (!sameAsHttp)
    log(`WARNING: the CLI's report CSV (${quiet.csv.csvSha256}) differs from the HTTP report's (${main.report.csvSha256})`);
  // Their life is bounded by the reports' own bounds, should the bench be killed meanwhile.
  const busyLimitMs = args.reportRuns * args.reportTimeoutS * 1000 + 60_000;
  const loaded = await withBusyProcesses(BUSY_PROCESSES, busyLimitMs, () =>
    cliReports(`beside ${BUSY_PROCESSES} busy processes`, databaseUrl, main.stores, args.reportRuns, args),
  );
  if (loaded.csv.csvSha256 !== quiet.csv.csvSha256)
    throw new Error('CLI report: the loaded runs gave another CSV than the quiet ones');

  const sqliteStart = await withDatabase('sqlite', 'cli-start', args, async (url) => {
    // An empty file at the current schema, so that the first query finds its tables.
    await cli('migrate (empty SQLite file)', ['migrate'], url, 120_000);
    return cliStart('sqlite', url);
  });

  const result: CliResult = {
    dataSet: main.dataSet,
    stores: main.stores,
    asOf: formatInstantUs(scan.asOfUs),
    asOfIsServiceDefault,
    report: { ...quiet.timed, ...quiet.csv, sameAsHttp },
    rawScan,
    reportUnderLoad: { ...loaded.timed, busyProcesses: BUSY_PROCESSES },
    start: [mysqlStart, sqliteStart],
    loadAverageAtEnd: round(os.loadavg()[0], 2),
  };
  log(
    `cli: report median ${round(result.report.medianMs / 1000, 2)} s (raw scan ${round(rawScan.medianMs / 1000, 3)} s), beside ${BUSY_PROCESSES} busy processes ${round(result.reportUnderLoad.medianMs / 1000, 2)} s, CSV ${sameAsHttp ? 'identical to' : 'DIFFERENT from'} the HTTP report's`,
  );
  return result;
}
