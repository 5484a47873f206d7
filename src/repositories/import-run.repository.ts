import { FeedName } from '../common/types/feed-rows.types';
import { SessionRepository } from './session-repository';

export type ImportSource = 'http' | 'cli' | 'inbox';
export type ImportState = 'Running' | 'Complete' | 'Failed' | 'Interrupted';

/** What ImportRunRepository.othersState tells. */
export interface RunsState {
  running: number;
  key: string;
}

export interface ImportFile {
  /** The feed the file holds; null when it could not be recognised (inbox). */
  feed: FeedName | null;
  /** The file's name as given (upload name, path or inbox name). */
  name: string;
  bytes: number;
}

/** An import as stored in `import_run`. Times in ms since the epoch. */
export interface ImportRunRecord {
  id: string;
  source: ImportSource;
  files: ImportFile[];
  status: ImportState;
  bytesTotal: number;
  bytesRead: number;
  /** The summary per feed once finished (or what was written when interrupted). */
  summary: unknown;
  error: string | null;
  /** The instance running it, while Running. */
  owner: string | null;
  heartbeatAtMs: number | null;
  createdAtMs: number;
  completedAtMs: number | null;
  /** The inbox file it imports (a digest of name, size and time), so that one file is one run. */
  inboxKey: string | null;
  /** Where an import that stopped part-way stopped: `{feed, line, unconfirmed_rows?}` (null otherwise). */
  stoppedAt: unknown;
}

const INSERT_IGNORE = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO' };
const COLUMNS =
  'id, source, files, status, bytes_total, bytes_read, summary, error, owner, heartbeat_at_ms, created_at_ms, completed_at_ms, inbox_key, stopped_at';
type Row = [
  string,
  ImportSource,
  string,
  ImportState,
  number,
  number,
  string | null,
  string | null,
  string | null,
  number | null,
  number,
  number | null,
  string | null,
  string | null,
];
const num = (v: number | null) => (v == null ? null : Number(v));

function recordOf([
  id,
  source,
  files,
  status,
  total,
  read,
  summary,
  error,
  owner,
  heartbeat,
  created,
  completed,
  inboxKey,
  stoppedAt,
]: Row): ImportRunRecord {
  return {
    id,
    source,
    files: JSON.parse(files) as ImportFile[],
    status,
    bytesTotal: Number(total),
    bytesRead: Number(read),
    summary: summary === null ? null : (JSON.parse(summary) as unknown),
    error,
    owner,
    heartbeatAtMs: num(heartbeat),
    createdAtMs: Number(created),
    completedAtMs: num(completed),
    inboxKey,
    stoppedAt: stoppedAt == null ? null : (JSON.parse(stoppedAt) as unknown),
  };
}

const valuesOf = (r: ImportRunRecord) => [
  r.id,
  r.source,
  JSON.stringify(r.files),
  r.status,
  r.bytesTotal,
  r.bytesRead,
  r.summary == null ? null : JSON.stringify(r.summary),
  r.error,
  r.owner,
  r.heartbeatAtMs,
  r.createdAtMs,
  r.completedAtMs,
  r.inboxKey,
  r.stoppedAt == null ? null : JSON.stringify(r.stoppedAt),
];

/**
 * `import_run`: every import (HTTP, CLI, inbox) with its files, progress and summary. A Running
 * run belongs to the instance in `owner`, which writes its progress as a heartbeat; runs whose
 * owner went silent are marked Interrupted. An inbox file is claimed by inserting its run with
 * the file's unique `inbox_key`: of instances racing for the same file exactly one succeeds.
 */
export class ImportRunRepository extends SessionRepository {
  async insert(run: ImportRunRecord): Promise<void> {
    await this.db.run(`INSERT INTO import_run (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, valuesOf(run));
  }

  async find(id: string): Promise<ImportRunRecord | null> {
    const [row] = await this.db.rows<Row>(`SELECT ${COLUMNS} FROM import_run WHERE id = ?`, [id]);
    return row === undefined ? null : recordOf(row);
  }

  async findByInboxKey(inboxKey: string): Promise<ImportRunRecord | null> {
    const [row] = await this.db.rows<Row>(`SELECT ${COLUMNS} FROM import_run WHERE inbox_key = ?`, [inboxKey]);
    return row === undefined ? null : recordOf(row);
  }

  /** Newest first, `limit` at most, after the given position. */
  async page(options: {
    limit: number;
    after?: { createdAtMs: number; id: string };
  }): Promise<{ runs: ImportRunRecord[]; next: { createdAtMs: number; id: string } | null }> {
    const after = options.after;
    const rows = await this.db.rows<Row>(
      `SELECT ${COLUMNS} FROM import_run
        ${after ? 'WHERE created_at_ms < ? OR (created_at_ms = ? AND id < ?)' : ''}
        ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
      [...(after ? [after.createdAtMs, after.createdAtMs, after.id] : []), options.limit + 1],
    );
    const runs = rows.slice(0, options.limit).map(recordOf);
    const last = runs[runs.length - 1];
    return { runs, next: rows.length > options.limit ? { createdAtMs: last.createdAtMs, id: last.id } : null };
  }

  /**
   * Claims an inbox file: inserts its run, or takes over the file's earlier run when that one was
   * interrupted or its owner went silent (heartbeat before `staleBeforeMs`). Returns the run now
   * owned by `run.owner`, or null when another instance has the file (or finished it).
   */
  async claimInboxFile(run: ImportRunRecord, staleBeforeMs: number): Promise<ImportRunRecord | null> {
    const inserted = await this.db.run(
      `${INSERT_IGNORE[this.db.dialect]} import_run (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      valuesOf(run),
    );
    if (inserted.affectedRows === 1) return run;
    const retaken = await this.db.run(
      `UPDATE import_run SET status = 'Running', owner = ?, heartbeat_at_ms = ?, bytes_read = 0, summary = NULL, error = NULL, stopped_at = NULL,
              completed_at_ms = NULL, files = ?, bytes_total = ?
        WHERE inbox_key = ? AND (status = 'Interrupted' OR (status = 'Running' AND heartbeat_at_ms < ?))`,
      [run.owner, run.heartbeatAtMs, JSON.stringify(run.files), run.bytesTotal, run.inboxKey, staleBeforeMs],
    );
    return retaken.affectedRows === 1 ? this.findByInboxKey(run.inboxKey!) : null;
  }

  /** Whether an import is running anywhere: Running, with a heartbeat at or after `aliveSinceMs`. */
  async anyRunning(aliveSinceMs: number): Promise<boolean> {
    const rows = await this.db.rows<[number]>(
      "SELECT 1 FROM import_run WHERE status = 'Running' AND heartbeat_at_ms >= ? LIMIT 1",
      [aliveSinceMs],
    );
    return rows.length > 0;
  }

  /**
   * The runs other than `id`: how many are Running (a crashed one too, until it is swept), and a
   * key that changes when a run starts, ends or is taken again. Two equal keys with none running
   * mean that no other import wrote between the two reads, whatever the instances' clocks say.
   */
  async othersState(id: string): Promise<RunsState> {
    const [[count, ended, running]] = await this.db.rows<[number, number | null, number | null]>(
      `SELECT COUNT(*), SUM(completed_at_ms), SUM(CASE WHEN status = 'Running' THEN 1 ELSE 0 END)
         FROM import_run WHERE id <> ?`,
      [id],
    );
    return { running: Number(running ?? 0), key: `${Number(count)}:${Number(ended ?? 0)}` };
  }

  /** Records progress (bytes read) and proves the owner alive; false when the run is no longer the owner's. */
  async progress(id: string, owner: string, bytesRead: number, nowMs: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE import_run SET bytes_read = ?, heartbeat_at_ms = ? WHERE id = ? AND owner = ? AND status = 'Running'`,
      [bytesRead, nowMs, id, owner],
    );
    return result.affectedRows === 1;
  }

  /**
   * Ends the owner's run: Complete, Failed or Interrupted, with its summary, reason and where it
   * stopped. Also a run a sweep marked Interrupted without a summary meanwhile (its owner lost the
   * database, and records its end once the database is back), unless it was taken again since.
   */
  async finish(
    id: string,
    owner: string,
    end: {
      status: Exclude<ImportState, 'Running'>;
      summary: unknown;
      error: string | null;
      bytesRead: number;
      completedAtMs: number;
      stoppedAt?: unknown;
    },
  ): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE import_run SET status = ?, summary = ?, error = ?, bytes_read = ?, completed_at_ms = ?, stopped_at = ?,
              owner = NULL, heartbeat_at_ms = NULL
        WHERE id = ? AND ((owner = ? AND status = 'Running') OR (status = 'Interrupted' AND owner IS NULL AND summary IS NULL))`,
      [
        end.status,
        end.summary == null ? null : JSON.stringify(end.summary),
        end.error,
        end.bytesRead,
        end.completedAtMs,
        end.stoppedAt == null ? null : JSON.stringify(end.stoppedAt),
        id,
        owner,
      ],
    );
    return result.affectedRows === 1;
  }

  /** Marks Interrupted the runs whose owner went silent (a crash, kill -9); returns how many. */
  async interruptStale(staleBeforeMs: number, why: string, nowMs: number): Promise<number> {
    const result = await this.db.run(
      `UPDATE import_run SET status = 'Interrupted', error = ?, completed_at_ms = ?, owner = NULL, heartbeat_at_ms = NULL
        WHERE status = 'Running' AND heartbeat_at_ms < ?`,
      [why, nowMs, staleBeforeMs],
    );
    return result.affectedRows;
  }
}
