import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inChunks, isMysql } from '../database/sql-dialect';
import { FeedSummaryDto } from '../ingestion/dto/import-summary.dto';
import { HoursRowInput, TimezoneRow } from '../ingestion/utils/feed-specs.util';

type Counts = Pick<FeedSummaryDto, 'inserted' | 'unchanged' | 'replaced'>;

/** Store metadata (business hours and zones): how imports change it and how reports read it. */
@Injectable()
export class StoresService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Replaces the weekly schedule of every store named in `rows` (SPEC §1); other stores keep
   * theirs. A row already in the store's schedule, or repeated in the file, counts as unchanged;
   * a new row of a store that had a schedule as replaced; a row of a store without one as inserted.
   */
  async replaceBusinessHours(rows: readonly HoursRowInput[]): Promise<Counts> {
    const counts: Counts = { inserted: 0, unchanged: 0, replaced: 0 };
    if (rows.length === 0) return counts;
    const storeIds = [...new Set(rows.map((r) => r.storeId))];
    const key = (r: { dayOfWeek: number; startSec: number; endSec: number }) => `${r.dayOfWeek},${r.startSec},${r.endSec}`;

    await this.dataSource.transaction(async (em) => {
      const old = new Map<string, Set<string>>();
      await inChunks(storeIds, 500, async (ids) => {
        const found: Array<{ store_id: string; day_of_week: number; start_sec: number; end_sec: number }> = await em.query(
          `SELECT store_id, day_of_week, start_sec, end_sec FROM business_hours WHERE store_id IN (${ids.map(() => '?').join(',')})`,
          ids,
        );
        for (const f of found) {
          const set = old.get(f.store_id) ?? new Set<string>();
          set.add(key({ dayOfWeek: Number(f.day_of_week), startSec: Number(f.start_sec), endSec: Number(f.end_sec) }));
          old.set(f.store_id, set);
        }
      });

      const seen = new Map<string, Set<string>>();
      const fresh: HoursRowInput[] = [];
      for (const r of rows) {
        const k = key(r);
        const inFile = seen.get(r.storeId) ?? new Set<string>();
        seen.set(r.storeId, inFile);
        if (inFile.has(k)) {
          counts.unchanged++;
          continue;
        }
        inFile.add(k);
        fresh.push(r);
        const before = old.get(r.storeId);
        if (before === undefined) counts.inserted++;
        else if (before.has(k)) counts.unchanged++;
        else counts.replaced++;
      }

      await inChunks(storeIds, 500, (ids) =>
        em.query(`DELETE FROM business_hours WHERE store_id IN (${ids.map(() => '?').join(',')})`, ids),
      );
      await inChunks(fresh, 1000, (chunk) =>
        em.query(
          `INSERT INTO business_hours (store_id, day_of_week, start_sec, end_sec) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((r) => [r.storeId, r.dayOfWeek, r.startSec, r.endSec]),
        ),
      );
      await this.registerStores(em, storeIds);
    });
    return counts;
  }

  /** Sets each named store's zone; the later row wins. Same zone again: unchanged. */
  async upsertTimezones(rows: readonly TimezoneRow[]): Promise<Counts> {
    const counts: Counts = { inserted: 0, unchanged: 0, replaced: 0 };
    if (rows.length === 0) return counts;
    await this.dataSource.transaction(async (em) => {
      const current = new Map<string, string>();
      const storeIds = [...new Set(rows.map((r) => r.storeId))];
      await inChunks(storeIds, 500, async (ids) => {
        const found: Array<{ store_id: string; timezone_str: string }> = await em.query(
          `SELECT store_id, timezone_str FROM store_timezone WHERE store_id IN (${ids.map(() => '?').join(',')})`,
          ids,
        );
        for (const f of found) current.set(f.store_id, f.timezone_str);
      });
      for (const r of rows) {
        const before = current.get(r.storeId);
        if (before === undefined) counts.inserted++;
        else if (before === r.timezone) counts.unchanged++;
        else counts.replaced++;
        current.set(r.storeId, r.timezone);
      }
      const upsert = isMysql(this.dataSource)
        ? 'ON DUPLICATE KEY UPDATE timezone_str = VALUES(timezone_str)'
        : 'ON CONFLICT (store_id) DO UPDATE SET timezone_str = excluded.timezone_str';
      await inChunks(storeIds, 1000, (ids) =>
        em.query(
          `INSERT INTO store_timezone (store_id, timezone_str) VALUES ${ids.map(() => '(?, ?)').join(', ')} ${upsert}`,
          ids.flatMap((id) => [id, current.get(id)]),
        ),
      );
      await this.registerStores(em, storeIds);
    });
    return counts;
  }

  private async registerStores(em: EntityManager, storeIds: readonly string[]) {
    const insert = isMysql(this.dataSource) ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
    await inChunks(storeIds, 1000, (ids) =>
      em.query(`${insert} store (store_id) VALUES ${ids.map(() => '(?)').join(', ')}`, ids),
    );
  }
}
