import { ChangeCounts, HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { inChunks } from '../common/utils/in-chunks.util';
import { withRetry } from '../database/retrying';
import { SqlClient } from '../database/sql-client';
import { warn } from '../common/warn';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { countScheduleChanges } from './utils/count-schedule-changes.util';
import { countZoneChanges } from './utils/count-zone-changes.util';
import { StoreRows } from './store-rows';

const NOTHING: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };

/**
 * Stores handled per step of an import's transaction: each step reads, counts and writes the
 * rows of this many stores, so that no step holds the thread for long (the client lets the event
 * loop run between statements) however large the file.
 */
const STORES_PER_STEP = 500;

const add = (total: ChangeCounts, counts: ChangeCounts) => {
  total.inserted += counts.inserted;
  total.unchanged += counts.unchanged;
  total.replaced += counts.replaced;
};

/** Store metadata (business hours and zones): how imports change it. */
export class StoresService {
  constructor(
    private readonly sql: SqlClient,
    private readonly stores: StoreRepository,
    private readonly hours: BusinessHoursRepository,
    private readonly zones: StoreTimezoneRepository,
  ) {}

  /**
   * Replaces the weekly schedule of every store named in `rows` (SPEC §1), in one transaction;
   * other stores keep theirs. The transaction goes STORES_PER_STEP stores at a time (the counting
   * rule is per store); only a step's rows are objects, taken out of the compact StoreRows. The
   * whole transaction runs again after a deadlock or a Galera certification conflict (two imports
   * of hours at once) or a lost connection: it reads the old schedules again, so its counts are
   * those of the try that committed.
   */
  async replaceBusinessHours(rows: StoreRows<HoursRowInput>): Promise<ChangeCounts> {
    if (rows.length === 0) return { ...NOTHING };
    const { storeIds } = rows;
    return withRetry(
      () =>
        this.sql.transaction(async (tx) => {
          const hours = this.hours.on(tx);
          const stores = this.stores.on(tx);
          const total = { ...NOTHING };
          await inChunks(storeIds, STORES_PER_STEP, async (ids) => {
            const { counts, fresh } = countScheduleChanges(await hours.schedulesOf(ids), rows.rowsOf(ids));
            add(total, counts);
            await hours.deleteForStores(ids);
            await hours.insert(fresh);
            await stores.register(ids);
          });
          return total;
        }),
      { what: `business hours of ${storeIds.length} stores`, onRetry: (m) => warn(StoresService.name, m) },
    );
  }

  /** Sets each named store's zone, in one transaction (in steps and run again as hours are); the later row wins. */
  async upsertTimezones(rows: StoreRows<TimezoneRow>): Promise<ChangeCounts> {
    if (rows.length === 0) return { ...NOTHING };
    const { storeIds } = rows;
    return withRetry(
      () =>
        this.sql.transaction(async (tx) => {
          const zones = this.zones.on(tx);
          const stores = this.stores.on(tx);
          const total = { ...NOTHING };
          await inChunks(storeIds, STORES_PER_STEP, async (ids) => {
            const { counts, zones: changed } = countZoneChanges(await zones.zonesOf(ids), rows.rowsOf(ids));
            add(total, counts);
            await zones.upsert(changed);
            await stores.register(ids);
          });
          return total;
        }),
      { what: `time zones of ${storeIds.length} stores`, onRetry: (m) => warn(StoresService.name, m) },
    );
  }
}
