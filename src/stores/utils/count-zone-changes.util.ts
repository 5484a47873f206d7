import { ChangeCounts, TimezoneRow } from '../../common/types/feed-rows.types';

/**
 * The counting rule of a timezones import: each store's zone is set by its last row in the file
 * (the later row wins), which is inserted (the store had no zone), unchanged (the same zone) or
 * replaced (another zone). Earlier rows of the same store change nothing that is kept: they
 * count as unchanged, so that importing a file again counts every row unchanged.
 * Returns the counts and each store's resulting zone.
 */
export function countZoneChanges(
  before: ReadonlyMap<string, string>,
  rows: readonly TimezoneRow[],
): { counts: ChangeCounts; zones: Map<string, string> } {
  const counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  const zones = new Map<string, string>();
  for (const r of rows) zones.set(r.storeId, r.timezone);
  counts.unchanged += rows.length - zones.size; // rows superseded by a later row of their store
  for (const [storeId, zone] of zones) {
    const previous = before.get(storeId);
    if (previous === undefined) counts.inserted++;
    else if (previous === zone) counts.unchanged++;
    else counts.replaced++;
  }
  return { counts, zones };
}
