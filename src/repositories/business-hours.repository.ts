import { Readable } from 'node:stream';
import { HoursRowInput } from '../common/types/feed-rows.types';
import { inChunks } from '../common/utils/in-chunks.util';
import type { HoursRow } from '../engine/utils';
import { isLocalInfileRefused } from '../database/is-local-infile-refused';
import { SessionRepository } from './session-repository';
import { hoursTsv } from './utils/hours-tsv.util';

/** `business_hours`: each store's weekly schedule, any number of rows per day. */
export class BusinessHoursRepository extends SessionRepository {
  /** The schedules of the given stores; a store without rows is absent from the map (open all the time). */
  async schedulesOf(storeIds: readonly string[]): Promise<Map<string, HoursRow[]>> {
    const schedules = new Map<string, HoursRow[]>();
    await inChunks(storeIds, 500, async (ids) => {
      const rows = await this.db.rows<[string, number, number, number]>(
        `SELECT store_id, day_of_week, start_sec, end_sec FROM business_hours
          WHERE store_id IN (${BusinessHoursRepository.placeholders(ids.length)})`,
        ids,
      );
      for (const [storeId, day, start, end] of rows) {
        let list = schedules.get(storeId);
        if (list === undefined) schedules.set(storeId, (list = []));
        list.push({ dayOfWeek: Number(day), startSec: Number(start), endSec: Number(end) });
      }
    });
    return schedules;
  }

  async deleteForStores(storeIds: readonly string[]): Promise<void> {
    await inChunks(storeIds, 500, (ids) =>
      this.db.run(`DELETE FROM business_hours WHERE store_id IN (${BusinessHoursRepository.placeholders(ids.length)})`, ids),
    );
  }

  /**
   * MySQL: one `LOAD DATA LOCAL INFILE` of the rows, a fraction of what multi-row INSERTs cost
   * both processes (each value escaped into the statement, the statement parsed), inside the
   * caller's transaction like any statement; INSERTs where the server refuses it.
   */
  async insert(rows: readonly HoursRowInput[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.db.dialect === 'mysql') {
      try {
        await this.db.run(
          `LOAD DATA LOCAL INFILE 'business_hours.tsv' INTO TABLE business_hours CHARACTER SET ascii
           FIELDS TERMINATED BY '\t' LINES TERMINATED BY '\n' (store_id, day_of_week, start_sec, end_sec)`,
          undefined,
          () => Readable.from([hoursTsv(rows)]),
        );
        return;
      } catch (error) {
        if (!isLocalInfileRefused(error)) throw error;
      }
    }
    await inChunks(rows, 1000, (chunk) =>
      this.db.run(
        `INSERT INTO business_hours (store_id, day_of_week, start_sec, end_sec)
         VALUES ${BusinessHoursRepository.placeholders(chunk.length, '(?, ?, ?, ?)')}`,
        chunk.flatMap((r) => [r.storeId, r.dayOfWeek, r.startSec, r.endSec]),
      ),
    );
  }
}
