import { SessionRepository } from './session-repository';

export type ReportState = 'Running' | 'Complete' | 'Failed';

/** A report as stored in `report_status`. Times in ms since the epoch, as_of in µs. */
export interface ReportRecord {
  id: string;
  status: ReportState;
  /** The report's "now", fixed when it is triggered. */
  asOfUs: number | null;
  progress: number;
  rowCount: number | null;
  error: string | null;
  createdAtMs: number;
  completedAtMs: number | null;
  /** The instance building it (null while it waits for a free slot, and once finished or handed back). */
  owner: string | null;
  /** When its owner last proved it is alive. */
  heartbeatAtMs: number | null;
  /** When its current owner started building it. */
  startedAtMs: number | null;
  /** Something the reader should know about a finished report. */
  warning: string | null;
  /** The finished CSV; only read when asked for (it can be tens of MB). */
  csv?: string | null;
}

export interface ReportPage {
  reports: ReportRecord[];
  /** Pass as `after` for the next page; null on the last one. */
  next: { createdAtMs: number; id: string } | null;
}

const COLUMNS =
  'id, status, as_of_us, progress, row_count, error, created_at_ms, completed_at_ms, owner, heartbeat_at_ms, started_at_ms, warning';
type Row = [
  string,
  ReportState,
  number | null,
  number,
  number | null,
  string | null,
  number,
  number | null,
  string | null,
  number | null,
  number | null,
  string | null,
  (string | null)?,
];
const num = (v: number | null) => (v == null ? null : Number(v));

function recordOf(row: Row, withCsv: boolean): ReportRecord {
  const [
    id,
    status,
    asOfUs,
    progress,
    rowCount,
    error,
    createdAtMs,
    completedAtMs,
    owner,
    heartbeatAtMs,
    startedAtMs,
    warning,
    csv,
  ] = row;
  return {
    id,
    status,
    asOfUs: num(asOfUs),
    progress: Number(progress),
    rowCount: num(rowCount),
    error,
    createdAtMs: Number(createdAtMs),
    completedAtMs: num(completedAtMs),
    owner,
    heartbeatAtMs: num(heartbeatAtMs),
    startedAtMs: num(startedAtMs),
    warning,
    ...(withCsv ? { csv: csv ?? null } : {}),
  };
}

/**
 * `report_status`: reports as durable jobs and, once complete, their CSV, kept in the database
 * so that any instance can answer for any report. A Running report is built by the instance in
 * `owner`; every write of a builder is conditional on still owning it, so that an instance that
 * lost a report (taken over after a stall, or deleted) can never overwrite it.
 */
export class ReportRepository extends SessionRepository {
  async insert(report: Omit<ReportRecord, 'csv'>): Promise<void> {
    await this.db.run(`INSERT INTO report_status (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      report.id,
      report.status,
      report.asOfUs,
      report.progress,
      report.rowCount,
      report.error,
      report.createdAtMs,
      report.completedAtMs,
      report.owner,
      report.heartbeatAtMs,
      report.startedAtMs,
      report.warning,
    ]);
  }

  async find(id: string, withCsv = false): Promise<ReportRecord | null> {
    const [row] = await this.db.rows<Row>(`SELECT ${COLUMNS}${withCsv ? ', csv' : ''} FROM report_status WHERE id = ?`, [id]);
    return row === undefined ? null : recordOf(row, withCsv);
  }

  /** Newest first, `limit` at most, after the given position, optionally of one status. */
  async page(options: { limit: number; status?: ReportState; after?: { createdAtMs: number; id: string } }): Promise<ReportPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.status !== undefined) {
      where.push('status = ?');
      params.push(options.status);
    }
    if (options.after !== undefined) {
      where.push('(created_at_ms < ? OR (created_at_ms = ? AND id < ?))');
      params.push(options.after.createdAtMs, options.after.createdAtMs, options.after.id);
    }
    const rows = await this.db.rows<Row>(
      `SELECT ${COLUMNS} FROM report_status ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
      [...params, options.limit + 1],
    );
    const reports = rows.slice(0, options.limit).map((r) => recordOf(r, false));
    const last = reports[reports.length - 1];
    return { reports, next: rows.length > options.limit ? { createdAtMs: last.createdAtMs, id: last.id } : null };
  }

  /** Removes a report, whatever its state; false when there was none. */
  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM report_status WHERE id = ?', [id])).affectedRows === 1;
  }

  /** Running reports that nobody builds (never claimed, handed back, or whose owner's heartbeat is older than `staleBeforeMs`), oldest first. */
  async claimable(staleBeforeMs: number, limit: number): Promise<string[]> {
    const rows = await this.db.rows<[string]>(
      `SELECT id FROM report_status
        WHERE status = 'Running' AND (owner IS NULL OR heartbeat_at_ms < ?)
        ORDER BY created_at_ms, id LIMIT ?`,
      [staleBeforeMs, limit],
    );
    return rows.map((r) => r[0]);
  }

  /**
   * Takes a report for `owner` if it is still claimable: one conditional UPDATE, atomic on both
   * databases (a row lock on InnoDB, the single writer on SQLite), so of instances racing for
   * the same report exactly one sees a changed row. Its progress starts again from 0.
   */
  async claim(id: string, owner: string, nowMs: number, staleBeforeMs: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE report_status SET owner = ?, heartbeat_at_ms = ?, started_at_ms = ?, progress = 0
        WHERE id = ? AND status = 'Running' AND (owner IS NULL OR heartbeat_at_ms < ?)`,
      [owner, nowMs, nowMs, id, staleBeforeMs],
    );
    return result.affectedRows === 1;
  }

  /** Proves `owner` alive for a report it builds; false when it no longer owns it. */
  async heartbeat(id: string, owner: string, nowMs: number): Promise<boolean> {
    return this.ownedUpdate(id, owner, 'heartbeat_at_ms = ?', [nowMs]);
  }

  async setProgress(id: string, owner: string, progress: number, nowMs: number): Promise<boolean> {
    return this.ownedUpdate(id, owner, 'progress = ?, heartbeat_at_ms = ?', [progress, nowMs]);
  }

  async complete(
    id: string,
    owner: string,
    done: { rowCount: number; csv: string; completedAtMs: number; warning?: string | null },
  ): Promise<boolean> {
    return this.ownedUpdate(
      id,
      owner,
      `status = 'Complete', progress = 1, row_count = ?, csv = ?, completed_at_ms = ?, warning = ?, error = NULL, owner = NULL, heartbeat_at_ms = NULL`,
      [done.rowCount, done.csv, done.completedAtMs, done.warning ?? null],
    );
  }

  async fail(id: string, owner: string, error: string, completedAtMs: number): Promise<boolean> {
    return this.ownedUpdate(
      id,
      owner,
      `status = 'Failed', error = ?, completed_at_ms = ?, owner = NULL, heartbeat_at_ms = NULL`,
      [error, completedAtMs],
    );
  }

  /** Hands back every report `owner` still builds, so that another instance takes them at once; returns how many. */
  async release(owner: string): Promise<number> {
    const result = await this.db.run(
      `UPDATE report_status SET owner = NULL, heartbeat_at_ms = NULL, started_at_ms = NULL, progress = 0
        WHERE owner = ? AND status = 'Running'`,
      [owner],
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

  private async ownedUpdate(id: string, owner: string, set: string, params: unknown[]): Promise<boolean> {
    const result = await this.db.run(`UPDATE report_status SET ${set} WHERE id = ? AND owner = ? AND status = 'Running'`, [
      ...params,
      id,
      owner,
    ]);
    return result.affectedRows === 1;
  }
}
