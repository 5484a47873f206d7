/**
 * The measured runs: a data set imported into a fresh database, then reported on. Each phase gets a
 * server of its own, so that each phase's peak RSS is its own, not what the one before left in the heap.
 */
import type { BenchArgs } from './args';
import { round } from './common';
import { ALL_FEEDS, DataSet } from './data-sets';
import { Db, withDatabase } from './databases';
import { ImportResult, importPhase } from './import-phase';
import { boardLatency, evaluationOf, MonitorResult } from './monitor-phase';
import { ReportResult, reportPhase } from './report-phase';
import { withServer } from './server';

export interface MainResult {
  database: Db;
  dataSet: string;
  stores: number;
  import: ImportResult;
  report: ReportResult;
  /** The live monitor: its evaluation at the end of the import, the board's latency. */
  monitor: MonitorResult;
  /** max(peak of the import's server, peak of the reports' server): the service's peak RSS. */
  peakRssMb: number;
}

/**
 * Import into a fresh database with one server process, then the reports with another one on the
 * same database; then `after`, if given, on that database with no server running (the CLI phase).
 */
export async function mainRun(
  db: Db,
  set: DataSet,
  name: string,
  runs: number,
  args: BenchArgs,
  after?: (url: string, result: MainResult) => Promise<void>,
): Promise<MainResult> {
  return withDatabase(db, name, args, async (url) => {
    const imported = await withServer(`${name}-import`, url, args, async (server) => ({
      ...(await importPhase(server, db, set, ALL_FEEDS, args)),
      evaluation: evaluationOf(server),
    }));
    const { report, board } = await withServer(`${name}-report`, url, args, async (server) => ({
      report: await reportPhase(server, set.name, set.options.stores, runs, args),
      board: await boardLatency(server),
    }));
    const result: MainResult = {
      database: db,
      dataSet: set.name,
      stores: set.options.stores,
      import: imported,
      report,
      monitor: { ...imported.evaluation, board },
      peakRssMb: Math.max(imported.peakRssMb, report.peakRssMb),
    };
    await after?.(url, result);
    return result;
  });
}

export interface HistoryResult {
  database: Db;
  stores: number;
  weeks: number;
  oneWeek: { polls: number; import: ImportResult; reportMedianMs: number; report: ReportResult };
  history: { polls: number; olderImport: ImportResult; reportMedianMs: number; report: ReportResult };
  /** Report time with all the history / with one week. */
  ratio: number;
}

/** The last week alone, then the same database with the weeks before it added: same stores, same last week. */
export async function historyRun(db: Db, week: DataSet, older: DataSet, args: BenchArgs): Promise<HistoryResult> {
  const name = `${db}-history`;
  return withDatabase(db, name, args, async (url) => {
    const weekImport = await withServer(`${name}-import-week`, url, args, (server) =>
      importPhase(server, db, week, ALL_FEEDS, args),
    );
    const oneWeek = await withServer(`${name}-report-week`, url, args, (server) =>
      reportPhase(server, '1 week', week.options.stores, Math.max(args.reportRuns, 5), args),
    );
    const olderImport = await withServer(`${name}-import-older`, url, args, (server) =>
      importPhase(server, db, older, ['polls'], args),
    );
    const history = await withServer(`${name}-report-${args.historyWeeks}w`, url, args, (server) =>
      reportPhase(server, `${args.historyWeeks} weeks`, week.options.stores, Math.max(args.reportRuns, 5), args),
    );
    return {
      database: db,
      stores: week.options.stores,
      weeks: args.historyWeeks,
      oneWeek: { polls: week.rows.polls, import: weekImport, reportMedianMs: oneWeek.medianMs, report: oneWeek },
      history: { polls: week.rows.polls + older.rows.polls, olderImport, reportMedianMs: history.medianMs, report: history },
      ratio: round(history.medianMs / oneWeek.medianMs, 2),
    };
  });
}
