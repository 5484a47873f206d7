import { inChunks } from '../common/utils/in-chunks.util';
import { SessionRepository } from './session-repository';

const INSERT_IGNORE = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO' };

/** Each store's latest poll from `poll`, where it is later than the one held (or none is). */
const REFRESH_LATEST = {
  mysql: `INSERT INTO store (store_id, last_poll_us)
            SELECT p.store_id, p.latest FROM (SELECT store_id, MAX(timestamp_us) AS latest FROM poll GROUP BY store_id) p
              LEFT JOIN store s ON s.store_id = p.store_id
             WHERE s.last_poll_us IS NULL OR s.last_poll_us < p.latest
          ON DUPLICATE KEY UPDATE last_poll_us = VALUES(last_poll_us)`,
  sqlite: `INSERT INTO store (store_id, last_poll_us)
             SELECT p.store_id, p.latest FROM (SELECT store_id, MAX(timestamp_us) AS latest FROM poll GROUP BY store_id) p
               LEFT JOIN store s ON s.store_id = p.store_id
              WHERE s.last_poll_us IS NULL OR s.last_poll_us < p.latest
           ON CONFLICT (store_id) DO UPDATE SET last_poll_us = excluded.last_poll_us`,
};

/** One row of `store`: a known store and its latest poll (null when it has none). */
export interface StoreRow {
  storeId: string;
  lastPollUs: number | null;
}

/**
 * `store`: every store any accepted row of any feed has named (the report has a row for each),
 * with its latest poll time, kept by the poll writers so that the default as_of costs no scan.
 */
export class StoreRepository extends SessionRepository {
  /** The latest poll of any store, or null when there is none. */
  async latestPollUs(): Promise<number | null> {
    const [[latest]] = await this.db.rows<[number | null]>('SELECT MAX(last_poll_us) FROM store');
    return latest == null ? null : Number(latest);
  }

  /**
   * Every store polled known, with its latest poll read from `poll` (one seek per store): after a
   * crash, a poll writer may have loaded polls it had not recorded here. Returns the stores changed.
   */
  async refreshLatestPolls(): Promise<number> {
    const { affectedRows } = await this.db.run(REFRESH_LATEST[this.db.dialect]);
    return affectedRows;
  }

  /** Each store's latest poll, of the stores that have one. */
  async latestByStore(): Promise<Map<string, number>> {
    const rows = await this.db.rows<[string, number]>('SELECT store_id, last_poll_us FROM store WHERE last_poll_us IS NOT NULL');
    return new Map(rows.map(([storeId, latest]) => [storeId, Number(latest)]));
  }

  /** Every store id, in plain string order (the collation is binary on both databases). */
  async ids(): Promise<string[]> {
    return (await this.db.rows<[string]>('SELECT store_id FROM store ORDER BY store_id')).map((r) => r[0]);
  }

  /** One store by its id (a primary-key seek), or null when no feed has named it. */
  async find(storeId: string): Promise<StoreRow | null> {
    const [row] = await this.db.rows<[number | null]>('SELECT last_poll_us FROM store WHERE store_id = ?', [storeId]);
    return row === undefined ? null : { storeId, lastPollUs: row[0] == null ? null : Number(row[0]) };
  }

  /**
   * Up to `limit` stores after the id `after` (all from the first when undefined), in plain
   * string order: one range read of the primary key, however far the page is.
   */
  async page(after: string | undefined, limit: number): Promise<StoreRow[]> {
    const rows = await this.db.rows<[string, number | null]>(
      'SELECT store_id, last_poll_us FROM store WHERE store_id > ? ORDER BY store_id LIMIT ?',
      // Every id has at least one character, so '' comes before them all.
      [after ?? '', limit],
    );
    return rows.map(([storeId, last]) => ({ storeId, lastPollUs: last == null ? null : Number(last) }));
  }

  /** The latest poll of each of these stores (absent: unknown, or never polled). */
  async lastPollsOf(storeIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    await inChunks(storeIds, 500, async (ids) => {
      const rows = await this.db.rows<[string, number | null]>(
        `SELECT store_id, last_poll_us FROM store WHERE store_id IN (${StoreRepository.placeholders(ids.length)})`,
        ids,
      );
      for (const [storeId, last] of rows) if (last != null) found.set(storeId, Number(last));
    });
    return found;
  }

  /** Records stores that are not known yet. */
  async register(storeIds: readonly string[]): Promise<void> {
    const insert = INSERT_IGNORE[this.db.dialect];
    await inChunks(storeIds, 1000, (ids) =>
      this.db.run(`${insert} store (store_id) VALUES ${StoreRepository.placeholders(ids.length, '(?)')}`, ids),
    );
  }
}
