import { SessionRepository } from './session-repository';

export type ReportState = 'Running' | 'Complete' | 'Failed';

/** A report as stored in `report_status`. Times in ms since the epoch, as_of in µs. */
export interface ReportRecord {
  id: string;
  status: ReportState;
  /** The report's "now"; null until known. */
  asOfUs: number | null;
  progress: number;
  rowCount: number | null;
  error: string | null;
  createdAtMs: number;
  completedAtMs: number | null;
  /** The finished CSV; only read when asked for (it can be tens of MB). */
  csv?: string | null;
}

const COLUMNS = 'id, status, as_of_us, progress, row_count, error, created_at_ms, completed_at_ms';
type Row = [string, ReportState, number | null, number, number | null, string | null, number, number | null, (string | null)?];

/**
 * `report_status`: reports and, once complete, their CSV, kept in the database so that any
 * instance of the service can answer for any report.
 */
export class ReportRepository extends SessionRepository {
  async insert(report: Omit<ReportRecord, 'csv'>): Promise<void> {
    await this.db.run(`INSERT INTO report_status (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
      report.id,
      report.status,
      report.asOfUs,
      report.progress,
      report.rowCount,
      report.error,
      report.createdAtMs,
      report.completedAtMs,
    ]);
  }

  async find(id: string, withCsv = false): Promise<ReportRecord | null> {
    const [row] = await this.db.rows<Row>(`SELECT ${COLUMNS}${withCsv ? ', csv' : ''} FROM report_status WHERE id = ?`, [id]);
    if (row === undefined) return null;
    const [, status, asOfUs, progress, rowCount, error, createdAtMs, completedAtMs, csv] = row;
    return {
      id: row[0],
      status,
      asOfUs: asOfUs == null ? null : Number(asOfUs),
      progress: Number(progress),
      rowCount: rowCount == null ? null : Number(rowCount),
      error,
      createdAtMs: Number(createdAtMs),
      completedAtMs: completedAtMs == null ? null : Number(completedAtMs),
      ...(withCsv ? { csv: csv ?? null } : {}),
    };
  }

  async setProgress(id: string, progress: number): Promise<void> {
    await this.db.run('UPDATE report_status SET progress = ? WHERE id = ?', [progress, id]);
  }

  async complete(id: string, done: { asOfUs: number; rowCount: number; csv: string; completedAtMs: number }): Promise<void> {
    await this.db.run(
      `UPDATE report_status SET status = 'Complete', progress = 1, as_of_us = ?, row_count = ?, csv = ?, completed_at_ms = ?
        WHERE id = ?`,
      [done.asOfUs, done.rowCount, done.csv, done.completedAtMs, id],
    );
  }

  async fail(id: string, error: string, completedAtMs: number): Promise<void> {
    await this.db.run(`UPDATE report_status SET status = 'Failed', error = ?, completed_at_ms = ? WHERE id = ?`, [
      error,
      completedAtMs,
      id,
    ]);
  }

  /** Marks every Running report Failed; returns how many. */
  async failAllRunning(error: string, completedAtMs: number): Promise<number> {
    const result = await this.db.run(
      `UPDATE report_status SET status = 'Failed', error = ?, completed_at_ms = ? WHERE status = 'Running'`,
      [error, completedAtMs],
    );
    return result.affectedRows;
  }

  /** Drops finished (Complete or Failed) reports created before the given time; returns how many. */
  async deleteFinishedBefore(createdBeforeMs: number): Promise<number> {
    const result = await this.db.run(`DELETE FROM report_status WHERE created_at_ms < ? AND status IN ('Complete', 'Failed')`, [
      createdBeforeMs,
    ]);
    return result.affectedRows;
  }
}
