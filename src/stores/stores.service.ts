import { Injectable, Logger } from '@nestjs/common';
import { ChangeCounts, HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { withRetry } from '../database/retrying';
import { SqlClient } from '../database/sql-client';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { countScheduleChanges } from './utils/count-schedule-changes.util';
import { countZoneChanges } from './utils/count-zone-changes.util';

const NOTHING: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };

/** Store metadata (business hours and zones): how imports change it. */
@Injectable()
export class StoresService {
  private readonly logger = new Logger(StoresService.name);

  constructor(
    private readonly sql: SqlClient,
    private readonly stores: StoreRepository,
    private readonly hours: BusinessHoursRepository,
    private readonly zones: StoreTimezoneRepository,
  ) {}

  /**
   * Replaces the weekly schedule of every store named in `rows` (SPEC §1), in one transaction;
   * other stores keep theirs. The whole transaction runs again after a deadlock or a Galera
   * certification conflict (two imports of hours at once) or a lost connection: it reads the
   * old schedules again, so its counts are those of the try that committed.
   */
  async replaceBusinessHours(rows: readonly HoursRowInput[]): Promise<ChangeCounts> {
    if (rows.length === 0) return { ...NOTHING };
    const storeIds = [...new Set(rows.map((r) => r.storeId))];
    return withRetry(
      () =>
        this.sql.transaction(async (tx) => {
          const hours = this.hours.on(tx);
          const { counts, fresh } = countScheduleChanges(await hours.schedulesOf(storeIds), rows);
          await hours.deleteForStores(storeIds);
          await hours.insert(fresh);
          await this.stores.on(tx).register(storeIds);
          return counts;
        }),
      { what: `business hours of ${storeIds.length} stores`, onRetry: (m) => this.logger.warn(m) },
    );
  }

  /** Sets each named store's zone, in one transaction (run again as hours are); the later row wins. */
  async upsertTimezones(rows: readonly TimezoneRow[]): Promise<ChangeCounts> {
    if (rows.length === 0) return { ...NOTHING };
    const storeIds = [...new Set(rows.map((r) => r.storeId))];
    return withRetry(
      () =>
        this.sql.transaction(async (tx) => {
          const zones = this.zones.on(tx);
          const { counts, zones: changed } = countZoneChanges(await zones.zonesOf(storeIds), rows);
          await zones.upsert(changed);
          await this.stores.on(tx).register(storeIds);
          return counts;
        }),
      { what: `time zones of ${storeIds.length} stores`, onRetry: (m) => this.logger.warn(m) },
    );
  }
}
