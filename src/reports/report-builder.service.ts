import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isMysql } from '../database/sql-dialect';
import { InterpolationService } from '../interpolation/interpolation.service';
import { isValidTimeZone, Poll, US_PER_WEEK } from '../interpolation/utils';
import { StoresService } from '../stores/stores.service';

/**
 * Stores per query: enough to amortise a round trip, few enough to keep the event loop free.
 * SQLite answers synchronously, so its batches are smaller: each one holds the event loop.
 */
const STORES_PER_BATCH = { mysql: 500, sqlite: 100 };

export interface BuiltReport {
  asOfUs: number;
  csv: string;
  rowCount: number;
}

/**
 * Builds the CSV of SPEC §2 from what is in the database now: store metadata once, then the
 * polls of the week (plus each store's last poll before it) in batches of stores, each batch one
 * index-range query, so the cost follows the week and the store count, not the history held.
 */
@Injectable()
export class ReportBuilderService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stores: StoresService,
    private readonly engine: InterpolationService,
  ) {}

  async build(asOfUs: number | undefined, onProgress: (fraction: number) => Promise<void> = async () => {}): Promise<BuiltReport> {
    // With no poll at all every figure is 0 (SPEC §2); the current time is as good an as_of as any.
    const asOf = asOfUs ?? (await this.stores.latestPollUs()) ?? Date.now() * 1000;
    const weekStart = asOf - US_PER_WEEK;
    const storeIds = await this.stores.listStoreIds();
    const { hours, zones } = await this.stores.loadMetadata();

    const size = isMysql(this.dataSource) ? STORES_PER_BATCH.mysql : STORES_PER_BATCH.sqlite;
    const batches: string[][] = [];
    for (let i = 0; i < storeIds.length; i += size) batches.push(storeIds.slice(i, i + size));

    const lines: string[] = [this.engine.header];
    let done = 0;
    let next = batches.length > 0 ? this.pollsOf(batches[0], weekStart, asOf) : undefined;
    for (let b = 0; b < batches.length; b++) {
      const polls = await next!;
      // The server reads the next batch while this one is computed.
      next = b + 1 < batches.length ? this.pollsOf(batches[b + 1], weekStart, asOf) : undefined;
      next?.catch(() => undefined); // awaited (and thrown) on the next turn
      for (const storeId of batches[b]) {
        // Imports refuse unknown zones; one stored earlier and unknown to this Node's ICU falls
        // back to the default rather than failing every store's report.
        const zone = zones.get(storeId);
        const input = {
          polls: polls.get(storeId) ?? [],
          hours: hours.get(storeId) ?? [],
          zone: zone !== undefined && isValidTimeZone(zone) ? zone : undefined,
        };
        lines.push(this.engine.reportLine(storeId, input, asOf));
      }
      done += batches[b].length;
      await onProgress(done / storeIds.length);
      // SQLite answers synchronously, so its awaits never leave the microtask queue: yield to
      // the event loop between batches so HTTP requests are served while a report runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { asOfUs: asOf, csv: `${lines.join('\n')}\n`, rowCount: storeIds.length };
  }

  /** Polls of the stores within [weekStart, asOf], with each store's last poll before weekStart. */
  private async pollsOf(storeIds: string[], weekStart: number, asOf: number): Promise<Map<string, Poll[]>> {
    const ids = storeIds.map(() => '?').join(',');
    const rows: Array<{ store_id: string; timestamp_us: number | string; active: number | boolean }> =
      await this.dataSource.query(
        `SELECT p.store_id, p.timestamp_us, p.active FROM store s
           JOIN poll p ON p.store_id = s.store_id AND p.timestamp_us = (
             SELECT q.timestamp_us FROM poll q
             WHERE q.store_id = s.store_id AND q.timestamp_us < ?
             ORDER BY q.timestamp_us DESC LIMIT 1)
          WHERE s.store_id IN (${ids})
         UNION ALL
         SELECT p.store_id, p.timestamp_us, p.active FROM poll p
          WHERE p.store_id IN (${ids}) AND p.timestamp_us >= ? AND p.timestamp_us <= ?
         ORDER BY store_id, timestamp_us`,
        [weekStart, ...storeIds, ...storeIds, weekStart, asOf],
      );
    const byStore = new Map<string, Poll[]>();
    for (const r of rows) {
      let list = byStore.get(r.store_id);
      if (list === undefined) byStore.set(r.store_id, (list = []));
      list.push({ tsUs: Number(r.timestamp_us), active: Boolean(Number(r.active)) });
    }
    return byStore;
  }
}
