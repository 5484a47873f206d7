import { inChunks } from '../common/utils/in-chunks.util';
import { SessionRepository } from './session-repository';

/** One store's row of the board at the last evaluated as_of. */
export interface StoreStateRow {
  storeId: string;
  /** 0 down, 1 up, 2 closed, 3 no data: the board's order. */
  rank: number;
  /** Down: the start of its incident; 0 otherwise. */
  sinceUs: number;
  /** The announced incident not yet seen ending. */
  openIncidentUs: number | null;
}

export interface BoardPosition {
  rank: number;
  sinceUs: number;
  storeId: string;
}

const UPSERT = {
  mysql: (n: number, values: string) =>
    `INSERT INTO store_state (store_id, state_rank, since_us, open_incident_us) VALUES ${values}
     ON DUPLICATE KEY UPDATE state_rank = VALUES(state_rank), since_us = VALUES(since_us), open_incident_us = VALUES(open_incident_us)`,
  sqlite: (n: number, values: string) =>
    `INSERT INTO store_state (store_id, state_rank, since_us, open_incident_us) VALUES ${values}
     ON CONFLICT (store_id) DO UPDATE SET state_rank = excluded.state_rank, since_us = excluded.since_us, open_incident_us = excluded.open_incident_us`,
};

/** `store_state`: each store's board row, kept by the evaluation, read by the board in its index order. */
export class StoreStateRepository extends SessionRepository {
  /** Every row, by store id. */
  async all(): Promise<Map<string, StoreStateRow>> {
    const rows = await this.db.rows<[string, number, number, number | null]>(
      'SELECT store_id, state_rank, since_us, open_incident_us FROM store_state',
    );
    return new Map(rows.map(([storeId, rank, since, open]) => [storeId, rowOf(storeId, rank, since, open)]));
  }

  async upsert(rows: readonly StoreStateRow[]): Promise<void> {
    await inChunks(rows, 500, (chunk) =>
      this.db.run(
        UPSERT[this.db.dialect](chunk.length, StoreStateRepository.placeholders(chunk.length, '(?, ?, ?, ?)')),
        chunk.flatMap((r) => [r.storeId, r.rank, r.sinceUs, r.openIncidentUs]),
      ),
    );
  }

  /** Stores per rank. */
  async counts(): Promise<Map<number, number>> {
    const rows = await this.db.rows<[number, number]>('SELECT state_rank, COUNT(*) FROM store_state GROUP BY state_rank');
    return new Map(rows.map(([rank, n]) => [Number(rank), Number(n)]));
  }

  /**
   * Up to `limit` rows after `after` in the board's order (rank, since, store id), of one rank
   * or all, with ids starting with `prefix`: one range read of the board's index.
   */
  async page(options: { rank?: number; prefix?: string; after?: BoardPosition; limit: number }): Promise<StoreStateRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.rank !== undefined) {
      where.push('state_rank = ?');
      params.push(options.rank);
    }
    if (options.prefix !== undefined && options.prefix !== '') {
      // Store ids are [A-Za-z0-9_-]: '_' is LIKE's one wildcard to escape.
      where.push("store_id LIKE ? ESCAPE '!'");
      params.push(`${options.prefix.replace(/[!_%]/g, '!$&')}%`);
    }
    if (options.after !== undefined) {
      const { rank, sinceUs, storeId } = options.after;
      where.push('(state_rank > ? OR (state_rank = ? AND (since_us > ? OR (since_us = ? AND store_id > ?))))');
      params.push(rank, rank, sinceUs, sinceUs, storeId);
    }
    const rows = await this.db.rows<[string, number, number, number | null]>(
      `SELECT store_id, state_rank, since_us, open_incident_us FROM store_state
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY state_rank, since_us, store_id LIMIT ?`,
      [...params, options.limit],
    );
    return rows.map(([storeId, rank, since, open]) => rowOf(storeId, rank, since, open));
  }
}

function rowOf(storeId: string, rank: number, since: number, open: number | null): StoreStateRow {
  return { storeId, rank: Number(rank), sinceUs: Number(since), openIncidentUs: open == null ? null : Number(open) };
}
