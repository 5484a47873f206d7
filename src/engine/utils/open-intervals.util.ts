/**
 * A store's open time within a range of instants, from its weekly business hours
 * (SPEC §2 "Open time").
 */
import { DEFAULT_ZONE, HoursRow, Interval, Micros } from './engine.types';
import { zoneOffsets } from './zone-offset.util';

const SECONDS_PER_DAY = 86_400;
const MS_PER_DAY = 86_400_000;
const US_PER_MS = 1000;

/** Day 0 = Monday … 6 = Sunday of a day number counted from 1970-01-01 (a Thursday). */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

/**
 * Merges intervals into a sorted list of disjoint, non-empty ones; touching intervals
 * ([a, b) and [b, c)) become one. The input is not modified.
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s <= last[1]) {
      if (e > last[1]) merged[merged.length - 1] = [last[0], e];
    } else {
      merged.push([s, e]);
    }
  }
  return merged;
}

/**
 * The store's open time within [fromUs, toUs): sorted, merged, non-empty half-open intervals.
 *
 * - no rows: open all the time;
 * - a row opens the store on every local date D of its weekday, from D + start to D + end;
 *   an end of 23:59:59 or 24:00 is midnight at the end of D, an end at or before the start
 *   falls on D + 1 (equal = 24 h);
 * - local times become instants with the 'compatible' disambiguation; an interval whose
 *   converted end is not after its start is empty.
 *
 * @param zone IANA zone; null, undefined or '' means DEFAULT_ZONE
 * @throws RangeError when Intl does not know the zone
 */
export function openIntervals(
  hours: readonly HoursRow[],
  zone: string | null | undefined,
  fromUs: Micros,
  toUs: Micros,
): Interval[] {
  if (!(toUs > fromUs)) return [];
  if (hours.length === 0) return [[fromUs, toUs]];

  const tz = zoneOffsets(zone || DEFAULT_ZONE);
  const byDay: HoursRow[][] = [[], [], [], [], [], [], []];
  for (const row of hours) byDay[row.dayOfWeek]?.push(row); // a day outside 0–6 opens nothing

  // Local dates around the range: two days earlier so that an overnight row of the previous
  // local day is caught even when the zone's offset is large, one day later likewise.
  const localDay = (us: Micros): number => {
    const ms = Math.floor(us / US_PER_MS);
    return Math.floor((ms + tz.offsetMs(ms)) / MS_PER_DAY);
  };
  const firstDay = localDay(fromUs) - 2;
  const lastDay = localDay(toUs) + 1;

  const found: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const rows = byDay[weekdayOfEpochDay(day)];
    if (rows.length === 0) continue;
    const midnightMs = day * MS_PER_DAY; // local midnight of D, as ms on the local time line
    for (const { startSec, endSec } of rows) {
      // 23:59:59 is how feeds write "until midnight"; it wins over the overnight rule.
      const end = endSec >= SECONDS_PER_DAY - 1 ? SECONDS_PER_DAY : endSec;
      const endLocal = end <= startSec ? end + SECONDS_PER_DAY : end;
      const startUs = tz.localMsToUtcMs(midnightMs + startSec * 1000) * US_PER_MS;
      const endUs = tz.localMsToUtcMs(midnightMs + endLocal * 1000) * US_PER_MS;
      const s = Math.max(startUs, fromUs);
      const e = Math.min(endUs, toUs);
      if (e > s) found.push([s, e]);
    }
  }
  return mergeIntervals(found);
}
