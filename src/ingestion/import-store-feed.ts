import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { StoreRows } from '../stores/store-rows';
import { StoresService } from '../stores/stores.service';
import { readStoreRows, StoreFeed } from './csv-feed.reader';
import { FeedSummary } from './feed-summary';
import { EarlyImport, ImportHooks, startImportWorker } from './import-worker';

/**
 * Imports a business-hours or timezones file: reads it whole, compactly (readStoreRows), then
 * writes it through `stores` in one transaction, because hours replace each store's whole
 * schedule. An aborted `signal` stops it before the transaction. Returns the summary with the counts.
 */
export async function importStoreFeedFile(
  stores: StoresService,
  path: string,
  feed: StoreFeed,
  hooks: ImportHooks = {},
): Promise<FeedSummary> {
  const { summary, rows } = await readStoreRows(path, feed, { onProgress: hooks.onRead });
  await hooks.ready;
  hooks.signal?.throwIfAborted();
  const counts =
    feed === 'business_hours'
      ? await stores.replaceBusinessHours(rows as StoreRows<HoursRowInput>)
      : await stores.upsertTimezones(rows as StoreRows<TimezoneRow>);
  return Object.assign(summary, counts);
}

/** The compiled worker; absent when running from TypeScript sources (jest), then the import runs in-thread. */
const IMPORT_WORKER = join(__dirname, 'store-feed-import.worker.js');

/**
 * Starts importing a business-hours or timezones file in a worker thread with a connection of its
 * own, as polls are: the CSV is parsed off the event loop, and neither the rows nor the garbage of
 * the transaction's steps reach this thread's heap, where they would stay until its next full
 * collection, well into the polls import that follows. It reads the file and then waits for `run`
 * before its transaction (see startImportWorker). Without the compiled worker, `run` runs
 * importStoreFeedFile here, with `stores`.
 */
export function startStoreFeedImport(stores: StoresService, path: string, feed: StoreFeed): EarlyImport {
  if (!existsSync(IMPORT_WORKER)) {
    return { run: (hooks) => importStoreFeedFile(stores, path, feed, hooks), cancel: () => Promise.resolve() };
  }
  // What lives on is the file's rows (typed arrays, outside the JS heap), one step's rows as
  // objects and a chunk of text or two: a small young generation suffices, and a larger one
  // only raises the process's peak memory.
  return startImportWorker(
    'hours and zones import worker',
    IMPORT_WORKER,
    { path, feed },
    { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 },
  );
}
