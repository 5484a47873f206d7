import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse } from 'fast-csv';
import { FeedSummaryDto, MAX_REPORTED_ERRORS } from './dto/import-summary.dto';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { PollBatch, PollBatchForm } from '../repositories/poll/poll-batch.types';
import { preparePollBatch } from '../repositories/poll/prepare-poll-batch.util';
import { FeedSpec, mapHeader, POLLS_FEED } from './utils/feed-specs.util';

const READ_CHUNK = 1 << 20;

/** Bytes of the file read so far, and data rows read: for an import's progress. */
export type ReadProgress = (bytesRead: number, rowsRead: number) => void;

/** The bytes a parsed row took in the file: exact for unquoted ASCII rows, close for the rest. */
function rowBytes(values: readonly string[]): number {
  let bytes = values.length; // the commas and the newline
  for (const v of values) bytes += v.length;
  return bytes;
}

/** The file's stream and the parser it feeds. Destroying the parser does not close the file: close both. */
function openCsv(path: string) {
  const source = createReadStream(path, { highWaterMark: READ_CHUNK });
  const parser = source.pipe(parse({ headers: false, trim: true }));
  return { source, parser, close: () => (source.destroy(), parser.destroy()) };
}

/** The first row of a CSV file (null for an empty file), read without the rest of the file. */
export function readHeaderRow(path: string): Promise<string[] | null> {
  return new Promise((resolve, reject) => {
    const { source, parser, close } = openCsv(path);
    parser.once('data', (values: string[]) => {
      resolve(values);
      close(); // the file too, or its handle stays open (and a deleted temp file keeps its disk)
    });
    parser.once('end', () => resolve(null));
    parser.once('error', (e) => (close(), reject(e)));
    source.once('error', (e) => (close(), reject(e)));
  });
}

/**
 * Reads only the header row of a feed file and checks it, so that every file of an import can be
 * refused before any of them writes. Throws FeedRefusedError.
 */
export async function checkFeedHeader(path: string, spec: FeedSpec<unknown>): Promise<void> {
  const header = await readHeaderRow(path).catch((e: Error) => {
    throw new FeedRefusedError(`${spec.name} file is not readable CSV: ${e.message}`);
  });
  if (header === null) throw new FeedRefusedError(`${spec.name} file is empty: it needs a header row`);
  const mapped = mapHeader(spec, header);
  if (typeof mapped === 'string') throw new FeedRefusedError(mapped);
}

/**
 * Streams a feed file through fast-csv, validates each row with the feed's spec and hands the
 * accepted rows on in batches. The parser is paused while a batch is being written, so memory
 * stays flat however large the file is. Rejected rows are counted, the first 20 with line and reason.
 */
export function readFeed<T>(
  path: string,
  spec: FeedSpec<T>,
  batchSize: number,
  onBatch: (rows: T[]) => Promise<void>,
  onProgress?: ReadProgress,
): Promise<FeedSummaryDto> {
  const summary = new FeedSummaryDto();
  return new Promise((resolve, reject) => {
    const { source, parser, close } = openCsv(path);
    // The file is read ahead of the parser, so progress counts the bytes of the rows parsed.
    let consumed = 0;
    let line = 0;
    let positions: number[] = [];
    let width = 0;
    let inOrder = false;
    let batch: T[] = [];
    let pending: Promise<void> = Promise.resolve();
    let failed = false;

    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      close();
      reject(error);
    };
    const reject1 = (reason: string) => {
      summary.rejected++;
      if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push({ line, reason });
    };
    const flush = () => {
      const rows = batch;
      batch = [];
      onProgress?.(Math.min(consumed, source.bytesRead), summary.read);
      parser.pause();
      pending = pending.then(() => onBatch(rows));
      pending.then(() => parser.resume(), fail);
    };

    parser.on('data', (values: string[]) => {
      line++;
      consumed += rowBytes(values);
      if (line === 1) {
        const mapped = mapHeader(spec, values);
        if (typeof mapped === 'string') return fail(new FeedRefusedError(mapped));
        positions = mapped;
        width = values.length;
        inOrder = positions.every((p, i) => p === i);
        return;
      }
      if (values.length === 0 || (values.length === 1 && values[0] === '')) return; // a blank line: not a data row
      summary.read++;
      if (values.length !== width) {
        return reject1(`expected ${width} columns, found ${values.length}`);
      }
      const parsed = spec.parse(inOrder ? values : positions.map((p) => values[p]));
      if (typeof parsed === 'string') return reject1(parsed);
      batch.push(parsed);
      if (batch.length >= batchSize) flush();
    });
    parser.on('error', (e) => fail(new FeedRefusedError(`${spec.name} file could not be read: ${e.message}`)));
    parser.on('end', () => {
      if (line === 0) return fail(new FeedRefusedError(`${spec.name} file is empty: it needs a header row`));
      if (batch.length > 0) flush();
      pending.then(() => {
        if (!failed) resolve(summary);
      }, fail);
    });
  });
}

/** The compiled worker; absent when running from TypeScript sources (jest), then parsing stays in-thread. */
const POLLS_WORKER = join(__dirname, 'polls-parser.worker.js');

/**
 * Reads a polls file into prepared batches (deduplicated, in key order, as rows or TSV). When the
 * compiled worker is there, parsing and preparing run in a worker thread, on another core,
 * while this thread writes; the event loop stays free for the API. Batches reach `onBatch`
 * one at a time, in file order.
 */
export function readPollsInBackground(
  path: string,
  batchSize: number,
  form: PollBatchForm,
  onBatch: (batch: PollBatch) => Promise<void>,
  onProgress?: ReadProgress,
): Promise<FeedSummaryDto> {
  if (!existsSync(POLLS_WORKER)) {
    return readFeed(path, POLLS_FEED, batchSize, (rows) => onBatch(preparePollBatch(rows, form)), onProgress);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(POLLS_WORKER, {
      workerData: { path, batchSize, form },
      // Parsing makes short-lived garbage by the million: a larger young generation halves GC time.
      resourceLimits: { maxYoungGenerationSizeMb: 32 },
    });
    let chain: Promise<void> = Promise.resolve();
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (m: ParserMessage) => {
      if (m.type === 'batch') {
        onProgress?.(m.bytesRead, m.rowsRead);
        chain = chain.then(() => onBatch(m.batch)).then(() => worker.postMessage('ack'));
        chain.catch(fail);
      } else if (m.type === 'done') {
        chain.then(() => {
          settled = true;
          void worker.terminate();
          resolve(m.summary);
        }, fail);
      } else {
        fail(m.refused ? new FeedRefusedError(m.message) : new Error(m.message));
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`polls parser stopped unexpectedly (exit ${code})`)));
  });
}

export type ParserMessage =
  | { type: 'batch'; batch: PollBatch; bytesRead: number; rowsRead: number }
  | { type: 'done'; summary: FeedSummaryDto }
  | { type: 'error'; message: string; refused: boolean };
