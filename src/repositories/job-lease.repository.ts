import { SessionRepository } from './session-repository';

const INSERT_IGNORE = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO' };

/** A named lease as stored in `job_lease`: who owns it and when it last proved itself alive (ms since the epoch). */
export interface JobLeaseRecord {
  name: string;
  owner: string | null;
  heartbeatAtMs: number | null;
}

/**
 * `job_lease`: one row per named singleton work, owned by at most one instance at a time.
 * Every write is conditional (on the lease being free or stale, or on still owning it), so of
 * instances racing for a lease exactly one sees a changed row.
 */
export class JobLeaseRepository extends SessionRepository {
  async find(name: string): Promise<JobLeaseRecord | null> {
    const rows = await this.db.rows<[string, string | null, number | null]>(
      'SELECT name, owner, heartbeat_at_ms FROM job_lease WHERE name = ?',
      [name],
    );
    if (rows.length === 0) return null;
    const [found, owner, heartbeatAtMs] = rows[0];
    return { name: found, owner, heartbeatAtMs: heartbeatAtMs === null ? null : Number(heartbeatAtMs) };
  }

  /** Whether the lease is free: never taken, handed back, or its owner's heartbeat older than `staleBeforeMs`. A read only. */
  async isClaimable(name: string, staleBeforeMs: number): Promise<boolean> {
    const lease = await this.find(name);
    return lease === null || lease.owner === null || lease.heartbeatAtMs === null || lease.heartbeatAtMs < staleBeforeMs;
  }

  /** Takes the lease for `owner` if it is free or stale (the row made on first use); false when another instance holds it. */
  async claim(name: string, owner: string, nowMs: number, staleBeforeMs: number): Promise<boolean> {
    await this.db.run(`${INSERT_IGNORE[this.db.dialect]} job_lease (name, owner, heartbeat_at_ms) VALUES (?, NULL, NULL)`, [
      name,
    ]);
    const result = await this.db.run(
      `UPDATE job_lease SET owner = ?, heartbeat_at_ms = ?
        WHERE name = ? AND (owner IS NULL OR heartbeat_at_ms IS NULL OR heartbeat_at_ms < ?)`,
      [owner, nowMs, name, staleBeforeMs],
    );
    return result.affectedRows === 1;
  }

  /** Proves `owner` alive; false when it no longer holds the lease. */
  async heartbeat(name: string, owner: string, nowMs: number): Promise<boolean> {
    const result = await this.db.run('UPDATE job_lease SET heartbeat_at_ms = ? WHERE name = ? AND owner = ?', [
      nowMs,
      name,
      owner,
    ]);
    return result.affectedRows === 1;
  }

  /** Hands the lease back if `owner` holds it, so that another instance takes it at once; false when it did not. */
  async release(name: string, owner: string): Promise<boolean> {
    const result = await this.db.run('UPDATE job_lease SET owner = NULL, heartbeat_at_ms = NULL WHERE name = ? AND owner = ?', [
      name,
      owner,
    ]);
    return result.affectedRows === 1;
  }
}
