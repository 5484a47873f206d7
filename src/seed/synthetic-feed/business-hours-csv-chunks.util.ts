import { mulberry32 } from '../../common/utils/mulberry32.util';
import { hash4 } from './hash4.util';
import { TAG } from './hash-tags';
import { perStoreCsvChunks } from './per-store-csv-chunks.util';
import { SyntheticFeedOptions } from './resolve-feed-options.util';
import { seedToInt } from './seed-to-int.util';
import { StoreProfile, synthesizeStores } from './synthesize-stores.util';
import { PAD2 } from './pad2';

export interface HoursCsvStats {
  rows: number;
  storesWithHours: number;
  overnightRows: number;
  allDayRows: number;
}

export const HOURS_HEADER = 'store_id,dayOfWeek,start_time_local,end_time_local\n';

/** Minutes of the day as the feed's `HH:MM:00`, wrapped into one day (1,470 → 00:30:00). */
function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${PAD2[Math.floor(m / 60)]}:${PAD2[m % 60]}:00`;
}

/** The store's weekly rows as [day, start, end] (day 0 = Monday), in the feed's text form. */
function storeHoursRows(seed: number, store: StoreProfile): Array<[number, string, string]> {
  // The order of the r() draws below is part of the output: add new draws at the end only.
  const r = mulberry32(hash4(seed, store.index, TAG.hours));
  const rows: Array<[number, string, string]> = [];
  if (store.hours === 'none') return rows;
  const quarter = (from: number, to: number) => from + 15 * Math.floor(r() * ((to - from) / 15 + 1));
  // Store-wide habits, varied a little per day.
  const open = quarter(360, 660); // 06:00–11:00
  const close = quarter(1020, 1380); // 17:00–23:00
  const closedDay = r() < 0.4 ? Math.floor(r() * 7) : -1; // many restaurants close one day a week
  for (let day = 0; day < 7; day++) {
    if (store.hours !== 'always' && (day === closedDay || r() < 0.03)) continue;
    const wiggle = r() < 0.3 ? 15 * Math.floor(r() * 5 - 2) : 0;
    switch (store.hours) {
      case 'always':
        // The real feed writes 24 hours as 00:00:00–23:59:59; a few use equal start and end.
        rows.push(r() < 0.9 ? [day, '00:00:00', '23:59:59'] : [day, '00:00:00', '00:00:00']);
        break;
      case 'overnight': // e.g. 17:00–02:00: the end is on the next day
        rows.push([day, clock(quarter(960, 1200) + wiggle), clock(quarter(0, 240))]);
        break;
      case 'split': // lunch and dinner
        rows.push([day, clock(quarter(600, 690)), clock(quarter(810, 900))]);
        rows.push([day, clock(quarter(990, 1080)), clock(close + wiggle)]);
        break;
      case 'overlapping': // two rows that overlap (a feed merging two menus)
        rows.push([day, clock(open), clock(quarter(900, 1020))]);
        rows.push([day, clock(quarter(780, 870)), clock(close + wiggle)]);
        break;
      case 'mixed': // 24 hours on weekends, normal hours otherwise, late on Fridays
        if (day >= 5) rows.push([day, '00:00:00', '23:59:59']);
        else if (day === 4) rows.push([day, clock(open), clock(quarter(0, 120))]);
        else rows.push([day, clock(open + wiggle), clock(close)]);
        break;
      default:
        rows.push([day, clock(open + wiggle), clock(close)]);
    }
  }
  return rows;
}

/** The business-hours file as CSV text chunks (one per 1,000 stores), in store order. */
export function* businessHoursCsvChunks(
  options: SyntheticFeedOptions,
  stores: readonly StoreProfile[] = synthesizeStores(options),
): Generator<string, HoursCsvStats, void> {
  const seed = seedToInt(options.seed);
  const stats: HoursCsvStats = { rows: 0, storesWithHours: 0, overnightRows: 0, allDayRows: 0 };
  yield* perStoreCsvChunks(HOURS_HEADER, stores, (store) => {
    const rows = storeHoursRows(seed, store);
    if (rows.length > 0) stats.storesWithHours++;
    let text = '';
    for (const [day, start, end] of rows) {
      text += `${store.id},${day},${start},${end}\n`;
      stats.rows++;
      if (start === end || (start === '00:00:00' && end === '23:59:59')) stats.allDayRows++;
      else if (end < start) stats.overnightRows++;
    }
    return text;
  });
  return stats;
}
