import type { ReportRecord } from '../../src/repositories/report.repository';

/** A report as POST /trigger_report inserts it: Running, no owner yet, so any instance may claim it. */
export function waitingReport(id: string, createdAtMs: number): Omit<ReportRecord, 'csv'> {
  return {
    id,
    status: 'Running',
    // An instant to the microsecond: a column or a driver that rounds it shows in a read back.
    asOfUs: 1678719600123456,
    progress: 0,
    rowCount: null,
    error: null,
    createdAtMs,
    completedAtMs: null,
    owner: null,
    heartbeatAtMs: null,
    startedAtMs: null,
    warning: null,
  };
}
