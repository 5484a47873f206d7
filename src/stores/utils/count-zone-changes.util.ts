import { ChangeCounts, TimezoneRow } from '../../common/types/feed-rows.types';

/**
 * The counting rule of a timezones import: a store's first zone is inserted, the same zone again
 * unchanged, another zone replaced; rows are taken in file order, so the later row wins and is
 * compared with the one before it. Returns the counts and each store's resulting zone.
 */
export function countZoneChanges(
  before: ReadonlyMap<string, string>,
  rows: readonly TimezoneRow[],
): { counts: ChangeCounts; zones: Map<string, string> } {
  const counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  const current = new Map(before);
  const zones = new Map<string, string>();
  for (const r of rows) {
    const previous = current.get(r.storeId);
    if (previous === undefined) counts.inserted++;
    else if (previous === r.timezone) counts.unchanged++;
    else counts.replaced++;
    current.set(r.storeId, r.timezone);
    zones.set(r.storeId, r.timezone);
  }
  return { counts, zones };
}
