/**
 * Worker thread body: parses, validates and prepares a polls file (the row checks and the batch
 * preparation are most of an import's CPU) and posts the batches to the main thread, so that
 * parsing the next batch overlaps writing the last. At most two batches wait in the main thread
 * at once. Its first message is its file (PollsParserData: it may have been started spare), then
 * an 'ack' for each batch taken.
 */
import { parentPort } from 'node:worker_threads';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { transferablesOf } from '../repositories/poll/poll-batch.types';
import { preparePollBatch } from '../repositories/poll/prepare-poll-batch.util';
import { ParserMessage, PollsParserData, readPollsFile } from './csv-feed.reader';

const MAX_IN_FLIGHT = 2;

const port = parentPort!;
const post = (message: ParserMessage) =>
  port.postMessage(message, message.type === 'batch' ? transferablesOf(message.batch) : []);
let inFlight = 0;
let wake: (() => void) | null = null;

port.on('message', (message: PollsParserData | 'ack') => {
  if (message !== 'ack') return parse(message);
  inFlight--;
  wake?.();
  wake = null;
});

function parse({ path, batchSize, importStartMs }: PollsParserData) {
  let bytesRead = 0;
  let rowsRead = 0;
  let linesRead = 0;
  readPollsFile(
    path,
    batchSize,
    async (rows) => {
      post({ type: 'batch', batch: preparePollBatch(rows), bytesRead, rowsRead, linesRead });
      inFlight++;
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    },
    { importStartMs, onProgress: (bytes, rows, lines) => ((bytesRead = bytes), (rowsRead = rows), (linesRead = lines)) },
  ).then(
    (summary) => post({ type: 'done', summary }),
    (error: Error) => post({ type: 'error', message: error.message, refused: error instanceof FeedRefusedError }),
  );
}
