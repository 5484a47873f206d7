/**
 * Worker thread body: reads a business-hours or timezones file (readFeed: the CSV parsing and the
 * row checks) and posts its accepted rows to the main thread in batches, then the summary, so
 * that no CSV is parsed on the event loop that answers the API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { FEED_BATCH, FeedParserData, FeedParserMessage, readFeed } from './csv-feed.reader';
import { FEED_SPECS } from './utils/feed-specs.util';

const { path, feed } = workerData as FeedParserData;
const port = parentPort!;
const post = (message: FeedParserMessage<unknown>) => port.postMessage(message);

let bytesRead = 0;
let rowsRead = 0;
let linesRead = 0;

readFeed(path, FEED_SPECS[feed], FEED_BATCH, async (rows) => post({ type: 'rows', rows, bytesRead, rowsRead, linesRead }), {
  onProgress: (bytes, rows, lines) => ((bytesRead = bytes), (rowsRead = rows), (linesRead = lines)),
}).then(
  (summary) => post({ type: 'done', summary }),
  (error: Error) => post({ type: 'error', message: error.message, refused: error instanceof FeedRefusedError }),
);
