/**
 * Worker thread body: imports one business-hours or timezones file (see importStoreFeed) on a
 * connection of its own, as the polls import does, and posts its progress, then the summary or
 * the error (serveImportWorker). A 'stop' from the main thread stops it before its transaction.
 * Its rows, and the garbage of the transaction's steps, live and die with this thread's heap.
 */
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { StoresService } from '../stores/stores.service';
import { StoreFeed } from './csv-feed.reader';
import { importStoreFeedFile } from './import-store-feed';
import { serveImportWorker } from './import-worker';

serveImportWorker<{ path: string; feed: StoreFeed }>({}, (sql, hooks, { path, feed }) => {
  const stores = new StoresService(
    sql,
    new StoreRepository(sql),
    new BusinessHoursRepository(sql),
    new StoreTimezoneRepository(sql),
  );
  return importStoreFeedFile(stores, path, feed, hooks);
});
