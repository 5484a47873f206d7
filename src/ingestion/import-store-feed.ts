import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { StoreRows } from '../stores/store-rows';
import { StoresService } from '../stores/stores.service';
import { readStoreRows, StoreFeed } from './csv-feed.reader';
import { FeedSummary } from './feed-summary';
import { WorkerSpec } from '../common/spare-workers';
import { EarlyImport, ImportHooks, startImportWorker } from './import-worker';

/**
 * How long an hours or zones transaction written ahead (MySQL) waits open for its turn: the rest
 * of an upload usually arrives within it, and a slow one keeps these stores' hours or zones
 * locked from other imports no longer than this.
 */
const HOLD_MS = 3000;

/**
 * Imports a business-hours or timezones file: reads it whole, compactly (readStoreRows), then
 * writes it through `stores` in one transaction, because hours replace each store's whole
 * schedule, committed once `hooks.ready` has resolved (on MySQL written ahead, see
 * StoresService.writeInTurn). An aborted `signal` stops it before its commit. Returns the summary
 * with the counts.
 */
export async function importStoreFeedFile(
  stores: StoresService,
  path: string,
  feed: StoreFeed,
  hooks: ImportHooks = {},
): Promise<FeedSummary> {
  const { summary, rows } = await readStoreRows(path, feed, { onProgress: hooks.onRead });
  hooks.signal?.throwIfAborted();
  const ready = (hooks.ready ?? Promise.resolve()).then(() => hooks.signal?.throwIfAborted());
  ready.catch(() => undefined); // awaited by the transaction, maybe only after a stop rejected it
  const turn = { ready, holdMs: HOLD_MS };
  const counts =
    feed === 'business_hours'
      ? await stores.replaceBusinessHours(rows as StoreRows<HoursRowInput>, turn)
      : await stores.upsertTimezones(rows as StoreRows<TimezoneRow>, turn);
  return Object.assign(summary, counts);
}

/** The compiled worker; null when running from TypeScript sources (jest), then the import runs in-thread. */
export const STORE_FEED_WORKER: WorkerSpec | null = existsSync(join(__dirname, 'store-feed-import.worker.js'))
  ? {
      script: join(__dirname, 'store-feed-import.worker.js'),
      // What lives on is the file's rows (typed arrays, outside the JS heap), one step's rows as
      // objects and a chunk of text or two: a small young generation suffices, and a larger one
      // only raises the process's peak memory.
      options: { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } },
    }
  : null;

/**
 * Starts importing a business-hours or timezones file in a worker thread with a connection of its
 * own, as polls are: the CSV is parsed off the event loop, and neither the rows nor the garbage of
 * the transaction's steps reach this thread's heap, where they would stay until its next full
 * collection, well into the polls import that follows. It reads the file and then waits for `run`
 * before its commit (see startImportWorker, and importStoreFeedFile for the writes done ahead).
 * Without the compiled worker, `run` runs importStoreFeedFile here, with `stores`.
 */
export function startStoreFeedImport(stores: StoresService, path: string, feed: StoreFeed): EarlyImport {
  if (STORE_FEED_WORKER === null) {
    return { run: (hooks) => importStoreFeedFile(stores, path, feed, hooks), cancel: () => Promise.resolve() };
  }
  return startImportWorker('hours and zones import worker', STORE_FEED_WORKER, { path, feed });
}
