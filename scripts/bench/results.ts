/** The results: the shape of the JSON written to --out, the targets checked, and the tables printed. */
import type { BenchArgs } from './args';
import { CLI_TARGETS, CliResult, CliStart } from './cli-phase';
import { round } from './common';
import { DataSet } from './data-sets';
import { Floors, Rate } from './floors';
import { BOARD_P99_TARGET_10X_MS, BOARD_P99_TARGET_MS } from './monitor-phase';
import { HEALTH_P99_TARGET_MS } from './latency-probe';
import { formatProfileSummary, summarizeProfile } from './profile-summary';
import { HistoryResult, MainResult } from './runs';
import type { PairedRatio } from './paired-floor';
import type { MachineInfo } from './machine';

interface Check {
  what: string;
  database: string;
  value: number;
  unit: string;
  /** The value as the table prints it. */
  shown: string;
  target: string;
  met: boolean;
}

/** Everything the bench writes to --out, in this order. */
export interface BenchResults {
  machine: MachineInfo;
  build: { commit: string | null; builtAt: string; distSha256: string; distFiles: number; distChangedDuringRun: boolean };
  args: BenchArgs;
  dataSets: Array<Pick<DataSet, 'name' | 'options' | 'rows' | 'bytes' | 'generatedMs'>>;
  main: MainResult[];
  history: HistoryResult[];
  large: MainResult | null;
  /** The CLI on MariaDB's main-set database (cli-phase.ts); null with --skip-cli or without MariaDB. */
  cli: CliResult | null;
  floors: Floors | null;
  /** MariaDB's LOAD DATA of the large set's polls (sorted 100k batches): the floor of the 10x import. */
  largeFloor: (Rate & { rows: number }) | null;
  failures: Array<{ phase: string; error: string }>;
  /** The MariaDB import ÷ its floor in adjacent pairs (paired-floor.ts); null when not measured. */
  paired: PairedRatio | null;
  /** Both databases gave the same CSV for the main set (SPEC: both stores give identical reports). */
  reportsAgree: boolean | null;
  targets: Check[];
  benchWallS: number;
  loadAverageAtEnd: number;
}

/**
 * An import's wall time (the whole POST /import) ÷ its database's own bulk load of the same polls,
 * measured in the same run: MariaDB's LOAD DATA of sorted 100k-row batches, SQLite's prepared
 * INSERT in 250k-row transactions. `feed` uses the server's own time for the polls feed instead.
 */
export function floorRatio(r: MainResult, floors: Floors | null, largeFloor: Rate | null, big: boolean, feed = false): number {
  const floor = big
    ? largeFloor
    : r.database === 'mysql'
      ? floors?.mysql?.loadDataBatchSorted
      : floors?.sqlite?.insert250kTransactionsBigCache;
  const ms = feed ? r.import.serverFeedMs.polls : r.import.wallMs;
  return floor && ms ? round(ms / floor.ms, 2) : Number.NaN;
}

type AddCheck = (
  what: string,
  database: string,
  value: number,
  unit: string,
  target: string,
  met: boolean,
  shown?: string,
) => void;

/** The targets of GitHub issues 4, 9, 13, 19 and 22, one row per figure; a phase that failed is a target not met. */
export function checks(
  main: MainResult[],
  history: HistoryResult[],
  big: MainResult | null,
  floors: Floors | null,
  largeFloor: Rate | null,
  failures: BenchResults['failures'],
  cli: CliResult | null,
  paired: PairedRatio | null = null,
): Check[] {
  const out: Check[] = [];
  const add: AddCheck = (what, database, value, unit, target, met, shown) =>
    out.push({
      what,
      database,
      value,
      unit,
      shown: shown ?? `${fmt(value, unit === 'polls/s' || unit === 'MB' ? 0 : 2)} ${unit}`,
      target,
      met,
    });
  for (const r of main) {
    add('import, polls/s', r.database, r.import.pollsPerSec, 'polls/s', '≥ 150,000', r.import.pollsPerSec >= 150_000);
    add('peak RSS of the import', r.database, r.import.peakRssMb, 'MB', '≤ 400', r.import.peakRssMb <= 400);
    const health = r.import.health.p99Ms;
    add(
      'GET /health p99 during the import',
      r.database,
      health,
      'ms',
      `< ${HEALTH_P99_TARGET_MS}`,
      health < HEALTH_P99_TARGET_MS,
    );
    if (r.database === 'mysql' && floors?.mysql) {
      const ratio = floorRatio(r, floors, largeFloor, false);
      add('import ÷ MariaDB LOAD DATA floor', r.database, ratio, '×', '≤ 1.5', ratio <= 1.5);
    }
    add('report trigger→Complete (median)', r.database, r.report.medianMs / 1000, 's', '≤ 3', r.report.medianMs <= 3000);
    add('peak RSS of the service', r.database, r.peakRssMb, 'MB', '≤ 400', r.peakRssMb <= 400);
    add('GET /get_report p99 while running', r.database, r.report.getReport.p99Ms, 'ms', '≤ 50', r.report.getReport.p99Ms <= 50);
    addMonitor(add, r, BOARD_P99_TARGET_MS);
  }
  for (const h of history) {
    add(`report ${h.weeks} weeks / 1 week`, h.database, h.ratio, '×', '≤ 1.3', h.ratio <= 1.3);
  }
  if (big) {
    add(
      `${big.stores} stores: import polls/s`,
      'mysql',
      big.import.pollsPerSec,
      'polls/s',
      '≥ 150,000',
      big.import.pollsPerSec >= 150_000,
    );
    add(`${big.stores} stores: report`, 'mysql', big.report.medianMs / 1000, 's', '≤ 30', big.report.medianMs <= 30_000);
    add(`${big.stores} stores: peak RSS`, 'mysql', big.peakRssMb, 'MB', '≤ 1024', big.peakRssMb <= 1024);
    addMonitor(add, big, BOARD_P99_TARGET_10X_MS, `${big.stores} stores: `);
    const base = main.find((m) => m.database === 'mysql');
    if (base) {
      const growth = round(big.import.peakRssMb / base.import.peakRssMb, 2);
      add(`${big.stores} stores: import peak RSS ÷ main set's`, 'mysql', growth, '×', '< 1.3', growth < 1.3);
    }
    if (largeFloor) {
      const ratio = floorRatio(big, floors, largeFloor, true);
      add(`${big.stores} stores: import ÷ MariaDB LOAD DATA floor`, 'mysql', ratio, '×', '≤ 1.5', ratio <= 1.5);
    }
  }
  if (paired && paired.pairs.length > 0) {
    add(
      `import ÷ floor, median of ${paired.pairs.length} adjacent pairs`,
      'mysql',
      paired.median,
      '×',
      '≤ 1.4',
      paired.median <= 1.4,
      `${fmt(paired.median, 2)} × (${paired.pairs.map((p) => p.ratio).join(', ')})`,
    );
  }
  if (cli) addCli(add, cli);
  for (const f of failures) add(`${f.phase}: failed`, f.phase.split(' ')[0], Number.NaN, '', 'runs', false);
  return out;
}

const seconds = (ms: number, digits = 2) => `${fmt(ms / 1000, digits)} s`;

/** Issue 22's rows: the CLI's report against the raw scan of its week and under load, its start. */
function addCli(add: AddCheck, cli: CliResult) {
  const { scanFactor, scanPlusMs, loadFactor, startMs, firstQueryMs } = CLI_TARGETS;
  const scan = cli.rawScan.medianMs;
  add('raw scan of the week (mysql2, median of 3)', 'mysql', scan / 1000, 's', 'the floor below', true, seconds(scan, 3));
  const reportBound = scanFactor * scan + scanPlusMs;
  const report = cli.report.medianMs;
  add(
    `CLI report start→CSV (median of ${cli.report.runsMs.length})`,
    'mysql',
    report / 1000,
    's',
    `≤ ${scanFactor} × scan + ${scanPlusMs / 1000} s = ${seconds(reportBound)}`,
    report <= reportBound,
    seconds(report),
  );
  add(
    "CLI report's CSV = the HTTP report's",
    'mysql',
    cli.report.sameAsHttp ? 1 : 0,
    '',
    'byte-identical',
    cli.report.sameAsHttp,
    cli.report.sameAsHttp ? 'identical' : 'different',
  );
  const loaded = cli.reportUnderLoad.medianMs;
  add(
    `CLI report beside ${cli.reportUnderLoad.busyProcesses} busy processes (median)`,
    'mysql',
    loaded / 1000,
    's',
    `≤ ${loadFactor} × quiet = ${seconds(loadFactor * report)}`,
    loaded <= loadFactor * report,
    seconds(loaded),
  );
  for (const start of cli.start) {
    const row = (what: string, ms: number, boundMs: number) =>
      add(what, start.database, ms / 1000, 's', `≤ ${seconds(boundMs, 1)}`, ms <= boundMs, seconds(ms));
    row(`CLI start: --version (median of ${start.version.runsMs.length})`, start.version.medianMs, startMs);
    row(`CLI start: --help (median of ${start.help.runsMs.length})`, start.help.medianMs, startMs);
    row(
      `CLI start→first query, upper bound: whole \`${start.firstQuery.command}\` (median)`,
      start.firstQuery.medianMs,
      firstQueryMs,
    );
  }
}

/** The CLI phase's figures, every run's. */
export function cliTable(cli: CliResult): string {
  const runs = (t: { runsMs: number[] }, digits = 2) => t.runsMs.map((ms) => fmt(ms / 1000, digits)).join(', ');
  const startRows = (s: CliStart) => [
    [`\`--version\`, ${s.database} (s)`, fmt(s.version.medianMs / 1000, 3), runs(s.version, 3)],
    [`\`--help\`, ${s.database} (s)`, fmt(s.help.medianMs / 1000, 3), runs(s.help, 3)],
    [`\`${s.firstQuery.command}\`, ${s.database} (s)`, fmt(s.firstQuery.medianMs / 1000, 3), runs(s.firstQuery, 3)],
  ];
  return table(
    [`CLI on MariaDB, ${cli.stores} stores, as_of ${cli.asOf}`, 'median', 'runs'],
    [
      [`raw scan of the week, ${fmt(cli.rawScan.rows)} polls (s)`, fmt(cli.rawScan.medianMs / 1000, 3), runs(cli.rawScan, 3)],
      ['`report --out FILE`, spawn to exit (s)', fmt(cli.report.medianMs / 1000, 2), runs(cli.report)],
      [
        `the same beside ${cli.reportUnderLoad.busyProcesses} busy processes (s)`,
        fmt(cli.reportUnderLoad.medianMs / 1000, 2),
        runs(cli.reportUnderLoad),
      ],
      ...cli.start.flatMap(startRows),
    ],
  );
}

/** The live monitor's rows: its evaluation's share of the import (no target of its own: the import's includes it), the board's p99. */
function addMonitor(add: AddCheck, r: MainResult, boardTargetMs: number, prefix = '') {
  const evaluation = r.monitor.evaluationMs;
  if (evaluation !== null)
    add(`${prefix}monitor evaluation in the import`, r.database, evaluation / 1000, 's', 'in the import', true);
  const p99 = r.monitor.board.p99Ms;
  add(`${prefix}GET /status first page p99`, r.database, p99, 'ms', `≤ ${boardTargetMs}`, p99 <= boardTargetMs);
}

/** What the bench prints on stdout: the machine and code, the result table, the floors, the targets, notes. */
export function resultsText(results: BenchResults, mainSet: DataSet): string {
  const { machine: info, build, floors, failures, args } = results;
  const big = results.large;
  const all = [...results.main, ...(big ? [big] : [])];
  const out: string[] = [];
  out.push(
    `Store Monitor benchmark, ${info.date}: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}` +
      (info.mariadb ? `, MariaDB ${info.mariadb} (buffer pool ${info.innodbBufferPoolMiB} MiB)` : '') +
      `, SQLite ${info.sqlite}`,
  );
  out.push(
    `code: commit ${build.commit?.slice(0, 12) ?? 'unknown'}, dist built ${build.builtAt}, digest ${build.distSha256}${build.distChangedDuringRun ? ' (dist/ rebuilt during the run; the snapshot was measured)' : ''}`,
  );
  out.push(
    `main set: ${fmt(mainSet.rows.polls)} polls, ${fmt(mainSet.rows.business_hours)} hours rows, ${fmt(mainSet.rows.timezones)} zones, ${mainSet.options.stores} stores, ${mainSet.options.days} days`,
  );
  out.push('');
  out.push(resultTable(results.main, results.history, big, floors, results.largeFloor));
  if (floors) out.push('', floorTable(floors, mainSet));
  if (results.cli) out.push('', cliTable(results.cli));
  if (results.largeFloor) {
    const lf = results.largeFloor;
    out.push(
      '',
      `floor of the ${args.scale}x set: MariaDB LOAD DATA of ${fmt(lf.rows)} polls, 100k-row batches each sorted by key: ${fmt(lf.ms / 1000, 2)} s, ${fmt(lf.rowsPerSec)} rows/s`,
    );
  }
  out.push('');
  out.push(
    table(
      ['target', 'database', 'measured', 'target', 'met'],
      results.targets.map((c) => [c.what, c.database, c.shown, c.target, c.met ? 'yes' : 'NO']),
    ),
  );
  if (args.cpuProf) {
    for (const r of all) {
      for (const profile of [r.import.profile, r.report.profile]) {
        if (profile) out.push('', formatProfileSummary(profile, summarizeProfile(profile, 15)));
      }
    }
  }
  for (const f of failures) out.push('', `FAILED ${f.phase}: ${f.error}`);
  for (const r of all) {
    if (r.import.firstAttempt)
      out.push(
        '',
        `NOTE ${r.dataSet} on ${r.database}: the import in one request failed (${r.import.firstAttempt}); measured with the hours file in parts.`,
      );
  }
  if (results.reportsAgree !== null)
    out.push('', `main-set reports identical on both databases: ${results.reportsAgree ? 'yes' : 'NO'}`);
  out.push('', `results written to ${args.out} (bench took ${fmt(results.benchWallS, 0)} s)`);
  return out.join('\n');
}

/** A Markdown table, the first column left-aligned and the others right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export const fmt = (x: number, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

/** One column per database, and one for the large run. */
function resultTable(
  main: MainResult[],
  history: HistoryResult[],
  big: MainResult | null,
  floors: Floors | null,
  largeFloor: Rate | null,
): string {
  const dbs = main.map((m) => m.database);
  const cols = [...dbs, ...(big ? [`mysql ${big.stores} stores`] : [])];
  const all = [...main, ...(big ? [big] : [])];
  const row = (label: string, f: (r: MainResult) => string, target: string) => [label, ...all.map(f), target];
  const rows: string[][] = [
    row('polls imported', (r) => fmt(r.import.polls), ''),
    row('import wall time (s)', (r) => fmt(r.import.wallMs / 1000, 2), ''),
    row('import polls/s', (r) => fmt(r.import.pollsPerSec), '≥ 150,000'),
    row(
      "import ÷ the database's own bulk load of the polls (floor); polls feed alone ÷ floor",
      (r) =>
        `${fmt(floorRatio(r, floors, largeFloor, r === big), 2)} / ${fmt(floorRatio(r, floors, largeFloor, r === big, true), 2)}`,
      'MariaDB ≤ 1.5',
    ),
    row('peak RSS of the import (MB)', (r) => fmt(r.import.peakRssMb), '≤ 400 (10x: +30 %)'),
    row(
      'GET /health during the import, p50 / p99 / max (ms)',
      (r) => `${fmt(r.import.health.p50Ms, 1)} / ${fmt(r.import.health.p99Ms, 1)} / ${fmt(r.import.health.maxMs, 0)}`,
      '',
    ),
    row('report trigger→Complete, median (s)', (r) => fmt(r.report.medianMs / 1000, 2), '≤ 3 (10x: ≤ 30)'),
    row('report min / max (s)', (r) => `${fmt(r.report.minMs / 1000, 2)} / ${fmt(r.report.maxMs / 1000, 2)}`, ''),
    row('RSS at start → peak of the reports (MB)', (r) => `${fmt(r.report.rssAtStartMb)} → ${fmt(r.report.peakRssMb)}`, ''),
    row('peak RSS of the service (MB)', (r) => fmt(r.peakRssMb), '≤ 400 (10x: ≤ 1,024)'),
    row(
      'GET /get_report while running, p50 / p99 (ms)',
      (r) => `${fmt(r.report.getReport.p50Ms, 1)} / ${fmt(r.report.getReport.p99Ms, 1)}`,
      'p99 ≤ 50',
    ),
  ];
  if (history.length > 0) {
    const h0 = history[0];
    const cells = all.map((r) => {
      const h = r === big ? undefined : history.find((x) => x.database === r.database);
      return h
        ? `${fmt(h.oneWeek.reportMedianMs / 1000, 2)} → ${fmt(h.history.reportMedianMs / 1000, 2)} (${fmt(h.ratio, 2)}×)`
        : '';
    });
    rows.push([`report, 1 week → ${h0.weeks} weeks of polls, ${h0.stores} stores (s)`, ...cells, '≤ 1.3×']);
    rows.push([
      `import of the ${h0.weeks - 1} older weeks into a populated table, polls/s`,
      ...all.map((r) => {
        const h = r === big ? undefined : history.find((x) => x.database === r.database);
        return h ? fmt(h.history.olderImport.pollsPerSec) : '';
      }),
      '',
    ]);
  }
  return table(['', ...cols, 'target'], rows);
}

function floorTable(floors: Floors, mainSet: DataSet): string {
  const r = (x: Rate) => [fmt(x.ms / 1000, 2), fmt(x.rowsPerSec)];
  return table(
    [`floor: ${fmt(floors.rows)} polls of the main set, outside the service`, 'time (s)', 'rows/s'],
    [
      [
        `read the ${round(mainSet.bytes.polls / 2 ** 20)} MiB file`,
        fmt(floors.readFile.ms / 1000, 2),
        `${fmt(floors.readFile.mbPerSec)} MiB/s`,
      ],
      ["fast-csv parse (the import's parser)", ...r(floors.fastCsvParse)],
      ['row validation alone (POLLS_FEED.parse)', ...r(floors.validate)],
      ['fast-csv parse + validation', ...r(floors.fastCsvParseAndValidate)],
      ['String.split lines + validation', ...r(floors.plainSplitAndValidate)],
      ["the import's reader + batch preparation (readPollsFile + preparePollBatch), one thread", ...r(floors.importReader)],
      ...(floors.mysql
        ? [
            ['MariaDB LOAD DATA, 100k-row batches, file order', ...r(floors.mysql.loadDataFileOrder)],
            ['MariaDB LOAD DATA, 100k-row batches, each sorted by key', ...r(floors.mysql.loadDataBatchSorted)],
          ]
        : []),
      ...(floors.sqlite
        ? [
            ['SQLite INSERT, 20k-row transactions, default cache', ...r(floors.sqlite.insert20kTransactions)],
            ['SQLite INSERT, 250k-row transactions, 128 MiB cache', ...r(floors.sqlite.insert250kTransactionsBigCache)],
          ]
        : []),
    ],
  );
}
