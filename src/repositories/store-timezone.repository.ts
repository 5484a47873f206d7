import { inChunks } from '../common/utils/in-chunks.util';
import { SessionRepository } from './session-repository';

const UPSERT = {
  mysql: 'ON DUPLICATE KEY UPDATE timezone_str = VALUES(timezone_str)',
  sqlite: 'ON CONFLICT (store_id) DO UPDATE SET timezone_str = excluded.timezone_str',
};

/** `store_timezone`: the IANA zone of each store that has one. */
export class StoreTimezoneRepository extends SessionRepository {
  async zonesOf(storeIds: readonly string[]): Promise<Map<string, string>> {
    const zones = new Map<string, string>();
    await inChunks(storeIds, 500, async (ids) => {
      const rows = await this.db.rows<[string, string]>(
        `SELECT store_id, timezone_str FROM store_timezone WHERE store_id IN (${StoreTimezoneRepository.placeholders(ids.length)})`,
        ids,
      );
      for (const [storeId, zone] of rows) zones.set(storeId, zone);
    });
    return zones;
  }

  /** Sets each store's zone, inserting or replacing. */
  async upsert(zones: ReadonlyMap<string, string>): Promise<void> {
    await inChunks([...zones], 1000, (entries) =>
      this.db.run(
        `INSERT INTO store_timezone (store_id, timezone_str) VALUES ${StoreTimezoneRepository.placeholders(entries.length, '(?, ?)')}
         ${UPSERT[this.db.dialect]}`,
        entries.flat(),
      ),
    );
  }
}
