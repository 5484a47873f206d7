/**
 * Worker thread body: reads a business-hours or timezones file (readStoreRows: the CSV parsing and
 * the row checks) and posts its accepted rows to the main thread in batches, each as a few
 * transferred buffers (StoreRows), then the summary, so that no CSV is parsed on the event loop
 * that answers the API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { FeedParserData, FeedParserMessage, readStoreRows } from './csv-feed.reader';

const { path, feed } = workerData as FeedParserData;
const port = parentPort!;
const post = (message: FeedParserMessage, transferables: ArrayBuffer[] = []) => port.postMessage(message, transferables);

let bytesRead = 0;
let rowsRead = 0;
let linesRead = 0;

readStoreRows(
  path,
  feed,
  async (batch) => {
    const { data, transferables } = batch.data();
    post({ type: 'rows', rows: data, bytesRead, rowsRead, linesRead }, transferables);
  },
  { onProgress: (bytes, rows, lines) => ((bytesRead = bytes), (rowsRead = rows), (linesRead = lines)) },
).then(
  (summary) => post({ type: 'done', summary }),
  (error: Error) => post({ type: 'error', message: error.message, refused: error instanceof FeedRefusedError }),
);
