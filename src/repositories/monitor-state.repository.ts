import { SessionRepository } from './session-repository';

/** The live monitor's one row: what was last evaluated, and where events and their fan-out stand. */
export interface MonitorState {
  /** The live as_of of the last evaluation; null before the first. */
  evaluatedAsOfUs: number | null;
  evaluatedAtMs: number | null;
  /** The id the next recorded event takes: ids follow the order events were recorded in. */
  nextEventId: number;
  /** Events up to this id have their deliveries made (or were recorded before any webhook was set). */
  fannedOutId: number;
}

/** Locking read: MySQL/MariaDB locks the row (on Galera, a second writer fails certification and retries); SQLite's transaction holds the write lock already. */
const LOCK = { mysql: ' FOR UPDATE', sqlite: '' };

/** `monitor_state`: one row (id 1), written by the evaluation and the deliverer. */
export class MonitorStateRepository extends SessionRepository {
  /** The row; in a transaction, locked until it ends, so that evaluations run one at a time. */
  async read(lock = false): Promise<MonitorState> {
    const [[asOf, at, next, fanned]] = await this.db.rows<[number | null, number | null, number, number]>(
      `SELECT evaluated_as_of_us, evaluated_at_ms, next_event_id, fanned_out_id FROM monitor_state WHERE id = 1${lock ? LOCK[this.db.dialect] : ''}`,
    );
    return {
      evaluatedAsOfUs: asOf == null ? null : Number(asOf),
      evaluatedAtMs: at == null ? null : Number(at),
      nextEventId: Number(next),
      fannedOutId: Number(fanned),
    };
  }

  async evaluated(asOfUs: number | null, atMs: number, nextEventId: number): Promise<void> {
    await this.db.run('UPDATE monitor_state SET evaluated_as_of_us = ?, evaluated_at_ms = ?, next_event_id = ? WHERE id = 1', [
      asOfUs,
      atMs,
      nextEventId,
    ]);
  }

  /** Moves the fan-out mark forward (never back). */
  async fannedOut(throughId: number): Promise<void> {
    await this.db.run('UPDATE monitor_state SET fanned_out_id = ? WHERE id = 1 AND fanned_out_id < ?', [throughId, throughId]);
  }
}
