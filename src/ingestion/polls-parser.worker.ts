/**
 * Worker thread body: parses, validates and prepares a polls file (the row checks and the batch
 * preparation are most of an import's CPU) and posts the batches to the main thread, so that
 * parsing the next batch overlaps writing the last. At most two batches wait in the main thread at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { transferablesOf } from '../repositories/poll/poll-batch.types';
import { preparePollBatch } from '../repositories/poll/prepare-poll-batch.util';
import { ParserAck, ParserMessage, PollsParserData, readPollsFile } from './csv-feed.reader';

const MAX_IN_FLIGHT = 2;

const { path, batchSize, form, importStartMs } = workerData as PollsParserData;
const port = parentPort!;
const post = (message: ParserMessage) =>
  port.postMessage(message, message.type === 'batch' ? transferablesOf(message.batch) : []);
let inFlight = 0;
let wake: (() => void) | null = null;

/**
 * TSV buffers the writer gave back (a batch's, once written), written again: the batches' large
 * buffers are then the same few for the whole file. Allocated anew for each batch, 92 batches of
 * 11 MB at 10x, the C allocator kept freed ones and the process grew by 30 MB more than at 1x.
 */
const spare: ArrayBuffer[] = [];
function tsvBytes(bytes: number): Uint8Array {
  const fits = spare.findIndex((b) => b.byteLength >= bytes);
  // Room to spare, so that a slightly longer batch next time fits too.
  const buffer = fits >= 0 ? spare.splice(fits, 1)[0] : new ArrayBuffer(Math.ceil(bytes * 1.1));
  return new Uint8Array(buffer, 0, bytes);
}

port.on('message', (message: ParserAck) => {
  if (message?.type !== 'ack') return;
  if (message.buffer && spare.length < MAX_IN_FLIGHT + 1) spare.push(message.buffer);
  inFlight--;
  wake?.();
  wake = null;
});

let bytesRead = 0;
let rowsRead = 0;
let linesRead = 0;

readPollsFile(
  path,
  batchSize,
  async (rows) => {
    post({ type: 'batch', batch: preparePollBatch(rows, form, tsvBytes), bytesRead, rowsRead, linesRead });
    inFlight++;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  },
  { importStartMs, onProgress: (bytes, rows, lines) => ((bytesRead = bytes), (rowsRead = rows), (linesRead = lines)) },
).then(
  (summary) => post({ type: 'done', summary }),
  (error: Error) => post({ type: 'error', message: error.message, refused: error instanceof FeedRefusedError }),
);
