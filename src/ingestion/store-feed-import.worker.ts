/**
 * Worker thread body: imports one business-hours or timezones file (see importStoreFeed) on a
 * connection of its own (openSqlClient, as the polls import's), and posts its progress, then the
 * summary or the error. A 'stop' from the main thread stops it before its transaction. Its rows,
 * and the garbage of the transaction's steps, live and die with this thread's heap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseDatabaseUrl } from '../database/database-url';
import { openSqlClient } from '../database/open-sql-client';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { StoresService } from '../stores/stores.service';
import { StoreFeed } from './csv-feed.reader';
import { importStoreFeedFile } from './import-store-feed';
import { ImportWorkerCommand, ImportWorkerMessage, kindOf } from './import-worker';

const { path, feed } = workerData as { path: string; feed: StoreFeed };
const port = parentPort!;
const post = (message: ImportWorkerMessage) => port.postMessage(message);
const stopping = new AbortController();

port.on('message', (command: ImportWorkerCommand) => {
  if (command.type === 'stop') stopping.abort(new Error('the import was stopped'));
});

async function main() {
  const sql = openSqlClient(parseDatabaseUrl());
  try {
    const stores = new StoresService(
      sql,
      new StoreRepository(sql),
      new BusinessHoursRepository(sql),
      new StoreTimezoneRepository(sql),
    );
    const summary = await importStoreFeedFile(stores, path, feed, {
      onRead: (bytesRead, rowsRead, linesRead) => post({ type: 'read', bytesRead, rowsRead, linesRead }),
      signal: stopping.signal,
    });
    post({ type: 'done', summary });
  } finally {
    await sql.close();
  }
}

main().catch((error: Error) =>
  post({
    type: 'error',
    message: error.message,
    kind: kindOf(error),
    stopped: stopping.signal.aborted,
  }),
);
