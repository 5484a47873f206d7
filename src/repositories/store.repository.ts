import { inChunks } from '../common/utils/in-chunks.util';
import { SessionRepository } from './session-repository';

const INSERT_IGNORE = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO' };

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

  /** Every store id, in plain string order (the collation is binary on both databases). */
  async ids(): Promise<string[]> {
    return (await this.db.rows<[string]>('SELECT store_id FROM store ORDER BY store_id')).map((r) => r[0]);
  }

  /** Records stores that are not known yet. */
  async register(storeIds: readonly string[]): Promise<void> {
    const insert = INSERT_IGNORE[this.db.dialect];
    await inChunks(storeIds, 1000, (ids) =>
      this.db.run(`${insert} store (store_id) VALUES ${StoreRepository.placeholders(ids.length, '(?)')}`, ids),
    );
  }
}
