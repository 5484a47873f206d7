import { ChangeCounts, HoursRowInput } from '../../common/types/feed-rows.types';
import type { HoursRow } from '../../engine/utils';

const key = (r: HoursRow) => `${r.dayOfWeek},${r.startSec},${r.endSec}`;

/**
 * The counting rule of a business-hours import, which replaces the whole schedule of each store
 * in the file: a row already in the store's schedule, or repeated in the file, is unchanged; a
 * new row of a store that had a schedule is replaced; a row of a store without one is inserted.
 * Returns the counts and the rows to store (repeats within the file dropped).
 */
export function countScheduleChanges(
  before: ReadonlyMap<string, readonly HoursRow[]>,
  rows: readonly HoursRowInput[],
): { counts: ChangeCounts; fresh: HoursRowInput[] } {
  const counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  const old = new Map<string, Set<string>>();
  for (const [storeId, schedule] of before) old.set(storeId, new Set(schedule.map(key)));
  const seen = new Map<string, Set<string>>();
  const fresh: HoursRowInput[] = [];
  for (const r of rows) {
    const k = key(r);
    let inFile = seen.get(r.storeId);
    if (inFile === undefined) seen.set(r.storeId, (inFile = new Set()));
    if (inFile.has(k)) {
      counts.unchanged++;
      continue;
    }
    inFile.add(k);
    fresh.push(r);
    const previous = old.get(r.storeId);
    if (previous === undefined) counts.inserted++;
    else if (previous.has(k)) counts.unchanged++;
    else counts.replaced++;
  }
  return { counts, fresh };
}
