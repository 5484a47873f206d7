import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isMysql, selectRows } from '../database/sql-dialect';
import { InterpolationService } from '../interpolation/interpolation.service';
import { HoursRow, isValidTimeZone, Poll, US_PER_WEEK } from '../interpolation/utils';
import { StoresService } from '../stores/stores.service';

/**
 * Stores per batch: enough to amortise round trips, few enough that no batch holds the event
 * loop for long. SQLite answers synchronously (a batch's reads block the thread), so its
 * batches are smaller; MySQL's rows are parsed as they stream in.
 */
const STORES_PER_BATCH = { mysql: 100, sqlite: 25 };

export interface BuiltReport {
  asOfUs: number;
  csv: string;
  rowCount: number;
}

interface Batch {
  storeIds: string[];
  polls: Map<string, Poll[]>;
  hours: Map<string, HoursRow[]>;
  zones: Map<string, string>;
}

/**
 * Builds the CSV of SPEC §2 from what is in the database now, in batches of stores: each batch
 * is three set-based reads (hours, zones, and the polls of the week plus each store's last poll
 * before it, by primary-key ranges), so the cost follows the week and the store count, not the
 * history held, and memory holds two batches at most.
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
    const storeIds = await this.stores.listStoreIds();
    const size = isMysql(this.dataSource) ? STORES_PER_BATCH.mysql : STORES_PER_BATCH.sqlite;
    const chunks: string[][] = [];
    for (let i = 0; i < storeIds.length; i += size) chunks.push(storeIds.slice(i, i + size));

    const lines: string[] = [this.engine.header];
    let done = 0;
    let next = chunks.length > 0 ? this.read(chunks[0], asOf) : undefined;
    for (let b = 0; b < chunks.length; b++) {
      const batch = await next!;
      // The database reads the next batch while this one is computed.
      next = b + 1 < chunks.length ? this.read(chunks[b + 1], asOf) : undefined;
      next?.catch(() => undefined); // awaited (and thrown) on the next turn
      for (const storeId of batch.storeIds) {
        // Imports refuse unknown zones; one stored earlier and unknown to this Node's ICU falls
        // back to the default rather than failing every store's report.
        const zone = batch.zones.get(storeId);
        const input = {
          polls: batch.polls.get(storeId) ?? [],
          hours: batch.hours.get(storeId) ?? [],
          zone: zone !== undefined && isValidTimeZone(zone) ? zone : undefined,
        };
        lines.push(this.engine.reportLine(storeId, input, asOf));
      }
      done += batch.storeIds.length;
      await onProgress(done / storeIds.length);
      // SQLite answers synchronously, so its awaits never leave the microtask queue: yield to
      // the event loop between batches so HTTP requests are served while a report runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { asOfUs: asOf, csv: `${lines.join('\n')}\n`, rowCount: storeIds.length };
  }

  private async read(storeIds: string[], asOf: number): Promise<Batch> {
    // Independent reads: on MySQL they run side by side on pooled connections.
    const [{ hours, zones }, polls] = await Promise.all([
      this.stores.metadataOf(storeIds),
      this.pollsOf(storeIds, asOf - US_PER_WEEK, asOf),
    ]);
    return { storeIds, hours, zones, polls };
  }

  /** Polls of the stores within [weekStart, asOf], after each store's last poll before weekStart. */
  private async pollsOf(storeIds: string[], weekStart: number, asOf: number): Promise<Map<string, Poll[]>> {
    const ids = storeIds.map(() => '?').join(',');
    const mysql = isMysql(this.dataSource);
    // The last poll before the week, found by index seeks (never a scan of the history):
    // MariaDB/MySQL answer GROUP BY … MAX() with a loose index scan; SQLite seeks per store
    // with a correlated ORDER BY … DESC LIMIT 1.
    const lastBefore = mysql
      ? selectRows(
          this.dataSource,
          `SELECT p.store_id, p.timestamp_us, p.active FROM poll p
             JOIN (SELECT store_id, MAX(timestamp_us) AS ts FROM poll
                    WHERE store_id IN (${ids}) AND timestamp_us < ? GROUP BY store_id) m
               ON p.store_id = m.store_id AND p.timestamp_us = m.ts`,
          [...storeIds, weekStart],
        )
      : selectRows(
          this.dataSource,
          `SELECT p.store_id, p.timestamp_us, p.active FROM store s
             JOIN poll p ON p.store_id = s.store_id AND p.timestamp_us = (
               SELECT q.timestamp_us FROM poll q WHERE q.store_id = s.store_id AND q.timestamp_us < ?
               ORDER BY q.timestamp_us DESC LIMIT 1)
            WHERE s.store_id IN (${ids})`,
          [weekStart, ...storeIds],
        );
    const week = selectRows(
      this.dataSource,
      `SELECT store_id, timestamp_us, active FROM poll
        WHERE store_id IN (${ids}) AND timestamp_us >= ? AND timestamp_us <= ?`,
      [...storeIds, weekStart, asOf],
    );
    const byStore = new Map<string, Poll[]>();
    // The earlier poll first, then the week's; no ORDER BY (it would cost the server a sort):
    // each store's list is checked and sorted here only if the rows came out of order.
    for (const rows of [await lastBefore, await week] as Array<Array<[string, number, number]>>) {
      for (const [storeId, ts, active] of rows) {
        let list = byStore.get(storeId);
        if (list === undefined) byStore.set(storeId, (list = []));
        list.push({ tsUs: Number(ts), active: Number(active) === 1 });
      }
    }
    for (const list of byStore.values()) {
      for (let i = 1; i < list.length; i++) {
        if (list[i - 1].tsUs > list[i].tsUs) {
          list.sort((a, b) => a.tsUs - b.tsUs);
          break;
        }
      }
    }
    return byStore;
  }
}
