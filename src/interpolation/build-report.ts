import {
  computeStoreFigures,
  formatFigures,
  HoursRow,
  isValidTimeZone,
  Poll,
  REPORT_HEADER,
  US_PER_WEEK,
} from './utils';
import { RowSource } from './report-rows';

/**
 * Stores per batch: enough to amortise round trips and per-query costs, small enough that two
 * batches are a few MB. (The service builds reports in a worker thread, so a batch's
 * synchronous work holds no HTTP request.)
 */
const STORES_PER_BATCH = { mysql: 300, sqlite: 25 };

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
 * is a few set-based reads (hours, zones, the polls of the week and each store's last poll
 * before it, by primary-key ranges), so the cost follows the week and the store count, not the
 * history held, and memory holds two batches at most. The next batch is read while one is computed.
 */
export async function buildReport(
  source: RowSource,
  asOfUs: number | undefined,
  onProgress: (fraction: number) => void | Promise<void> = () => undefined,
): Promise<BuiltReport> {
  const [[latest]] = (await source.select('SELECT MAX(last_poll_us) FROM store', [])) as [[number | null]];
  // With no poll at all every figure is 0 (SPEC §2); the current time is as good an as_of as any.
  const asOf = asOfUs ?? (latest == null ? Date.now() * 1000 : Number(latest));
  const storeIds = ((await source.select('SELECT store_id FROM store ORDER BY store_id', [])) as string[][]).map((r) => r[0]);
  const size = STORES_PER_BATCH[source.kind];
  const chunks: string[][] = [];
  for (let i = 0; i < storeIds.length; i += size) chunks.push(storeIds.slice(i, i + size));

  const lines: string[] = [REPORT_HEADER];
  let done = 0;
  let next = chunks.length > 0 ? readBatch(source, chunks[0], asOf) : undefined;
  for (let b = 0; b < chunks.length; b++) {
    const batch = await next!;
    next = b + 1 < chunks.length ? readBatch(source, chunks[b + 1], asOf) : undefined;
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
      lines.push(formatFigures(storeId, computeStoreFigures(input, asOf)));
    }
    done += batch.storeIds.length;
    await onProgress(done / storeIds.length);
    // SQLite answers synchronously, so its awaits never leave the microtask queue: yield to
    // the event loop between batches so that the thread can serve anything else it has.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { asOfUs: asOf, csv: `${lines.join('\n')}\n`, rowCount: storeIds.length };
}

async function readBatch(source: RowSource, storeIds: string[], asOf: number): Promise<Batch> {
  const ids = storeIds.map(() => '?').join(',');
  const weekStart = asOf - US_PER_WEEK;
  // The last poll before the week, found by index seeks (never a scan of the history):
  // MariaDB/MySQL answer GROUP BY … MAX() with a loose index scan; SQLite seeks per store
  // with a correlated ORDER BY … DESC LIMIT 1.
  const lastBefore =
    source.kind === 'mysql'
      ? source.select(
          `SELECT p.store_id, p.timestamp_us, p.active FROM poll p
             JOIN (SELECT store_id, MAX(timestamp_us) AS ts FROM poll
                    WHERE store_id IN (${ids}) AND timestamp_us < ? GROUP BY store_id) m
               ON p.store_id = m.store_id AND p.timestamp_us = m.ts`,
          [...storeIds, weekStart],
        )
      : source.select(
          `SELECT p.store_id, p.timestamp_us, p.active FROM store s
             JOIN poll p ON p.store_id = s.store_id AND p.timestamp_us = (
               SELECT q.timestamp_us FROM poll q WHERE q.store_id = s.store_id AND q.timestamp_us < ?
               ORDER BY q.timestamp_us DESC LIMIT 1)
            WHERE s.store_id IN (${ids})`,
          [weekStart, ...storeIds],
        );
  // The week's polls, one row per store: each poll packed as timestamp_us * 2 + active in one
  // comma-separated string. A million polls then cross the driver as ~one string per store
  // instead of a row (three values) each, which halves the report's read time. Exact while
  // timestamp_us * 2 < 2^53, i.e. until the year 2112.
  const week = source.select(
    `SELECT store_id, COUNT(*), GROUP_CONCAT(timestamp_us * 2 + active) FROM poll
      WHERE store_id IN (${ids}) AND timestamp_us >= ? AND timestamp_us <= ?
      GROUP BY store_id`,
    [...storeIds, weekStart, asOf],
  );
  const hoursRows = source.select(
    `SELECT store_id, day_of_week, start_sec, end_sec FROM business_hours WHERE store_id IN (${ids})`,
    storeIds,
  );
  const zoneRows = source.select(`SELECT store_id, timezone_str FROM store_timezone WHERE store_id IN (${ids})`, storeIds);

  // All four at once (side by side on MySQL's pool); awaited together so that one failing
  // leaves no other rejection unhandled.
  const [before, inWeek, hourRows, zones] = await Promise.all([lastBefore, week, hoursRows, zoneRows]);
  const polls = new Map<string, Poll[]>();
  for (const [storeId, ts, active] of before as Array<[string, number, number]>) {
    polls.set(storeId, [{ tsUs: Number(ts), active: Number(active) === 1 }]);
  }
  for (const [storeId, count, packed] of inWeek as Array<[string, number, string | Buffer]>) {
    let list = polls.get(storeId);
    if (list === undefined) polls.set(storeId, (list = []));
    const items = String(packed).split(',');
    // A cut string (the server's group_concat_max_len) would silently drop polls: refuse instead.
    if (items.length !== Number(count)) throw new Error(`the polls of store ${storeId} were truncated by the database (group_concat_max_len)`);
    for (const item of items) {
      const n = Number(item);
      const active = n % 2;
      list.push({ tsUs: (n - active) / 2, active: active === 1 });
    }
  }
  // No ORDER BY (it would cost the server a sort): each store's list is checked, and sorted
  // here only if its polls came out of order.
  for (const list of polls.values()) {
    for (let i = 1; i < list.length; i++) {
      if (list[i - 1].tsUs > list[i].tsUs) {
        list.sort((a, b) => a.tsUs - b.tsUs);
        break;
      }
    }
  }
  const hours = new Map<string, HoursRow[]>();
  for (const [storeId, day, start, end] of hourRows as Array<[string, number, number, number]>) {
    let list = hours.get(storeId);
    if (list === undefined) hours.set(storeId, (list = []));
    list.push({ dayOfWeek: Number(day), startSec: Number(start), endSec: Number(end) });
  }
  return { storeIds, polls, hours, zones: new Map(zones as Array<[string, string]>) };
}
