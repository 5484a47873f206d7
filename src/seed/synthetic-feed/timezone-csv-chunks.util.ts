import { perStoreCsvChunks } from './per-store-csv-chunks.util';
import { SyntheticFeedOptions } from './resolve-feed-options.util';
import { StoreProfile, synthesizeStores } from './synthesize-stores.util';

export interface ZonesCsvStats {
  rows: number;
  zones: number;
}

export const ZONES_HEADER = 'store_id,timezone_str\n';

/** The timezones file as CSV text chunks (one per 1,000 stores), in store order. */
export function* timezoneCsvChunks(
  options: SyntheticFeedOptions,
  stores: readonly StoreProfile[] = synthesizeStores(options),
): Generator<string, ZonesCsvStats, void> {
  const distinct = new Set<string>();
  let rows = 0;
  yield* perStoreCsvChunks(ZONES_HEADER, stores, (store) => {
    if (store.zone === null) return '';
    rows++;
    distinct.add(store.zone);
    return `${store.id},${store.zone}\n`;
  });
  return { rows, zones: distinct.size };
}
