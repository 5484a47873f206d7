import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse } from 'fast-csv';
import { emptyFeedSummary, FeedSummary, MAX_REPORTED_ERRORS } from './feed-summary';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { PollBatch, PollBatchForm } from '../repositories/poll/poll-batch.types';
import { preparePollBatch } from '../repositories/poll/prepare-poll-batch.util';
import { PollRows } from '../repositories/poll/poll-rows';
import { CsvLineSink, readCsvLines } from './csv-lines.reader';
import { FeedSpec, mapHeader, POLLS_FEED } from './utils/feed-specs.util';
import { parsePollLine } from './utils/parse-poll-line.util';
import { splitUnquotedLine } from './utils/split-unquoted-line.util';

const READ_CHUNK = 1 << 20;
/** Rows of the first polls batch (see readPollsFile). */
const FIRST_BATCH = 20_000;
/** A header is one line: a small first read finds it. */
const HEADER_CHUNK = 64 << 10;

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
 * refused before any of them writes. The header is the first record as fast-csv reads it
 * (readCsvLines); nothing after it is parsed, so a large file costs the check nothing. Throws
 * FeedRefusedError.
 */
export async function checkFeedHeader(path: string, spec: FeedSpec<unknown>): Promise<void> {
  let header: string[] | null = null;
  const take = (values: string[]) => void (header ??= values);
  try {
    await readCsvLines(
      path,
      {
        line: (text) => take(splitUnquotedLine(text)),
        record: take,
        full: false,
        drain: async () => undefined,
        get done() {
          return header !== null;
        },
      },
      HEADER_CHUNK,
    );
  } catch (error) {
    throw new FeedRefusedError(`${spec.name} file is not readable CSV: ${(error as Error).message}`);
  }
  if (header === null) throw new FeedRefusedError(`${spec.name} file is empty: it needs a header row`);
  const mapped = mapHeader(spec, header);
  if (typeof mapped === 'string') throw new FeedRefusedError(mapped);
}

/** Where accepted rows gather: an array, or the polls' columns (PollRows). */
export interface RowBatch<T> {
  push(row: T): void;
  readonly length: number;
}

/**
 * The rules a feed file is read by, one record at a time, whatever parser split it: the first
 * record is the header (columns found by name), blank lines are no data row, a row must have the
 * header's width and pass the feed's validation. Rejected rows are counted, the first 20 with line
 * and reason; `line` counts records, as fast-csv gives them. Accepted rows gather in `batch`.
 */
export class FeedRecords<T, B extends RowBatch<T> = T[]> {
  readonly summary: FeedSummary = emptyFeedSummary();
  line = 0;
  batch: B;
  /** The header maps the spec's columns to the first positions, in order, and has no other. */
  exact = false;
  private positions: number[] = [];
  private width = 0;
  private inOrder = false;

  constructor(
    private readonly spec: FeedSpec<T>,
    private readonly newBatch: () => B = () => [] as unknown as B,
  ) {
    this.batch = newBatch();
  }

  /** Takes the next record. Throws FeedRefusedError for a header without a required column. */
  take(values: string[]): void {
    this.line++;
    if (this.line === 1) {
      const mapped = mapHeader(this.spec, values);
      if (typeof mapped === 'string') throw new FeedRefusedError(mapped);
      this.positions = mapped;
      this.width = values.length;
      this.inOrder = mapped.every((p, i) => p === i);
      this.exact = this.inOrder && this.width === mapped.length;
      return;
    }
    if (values.length === 0 || (values.length === 1 && values[0] === '')) return; // a blank line: not a data row
    this.summary.read++;
    if (values.length !== this.width) return this.reject(`expected ${this.width} columns, found ${values.length}`);
    const parsed = this.spec.parse(this.inOrder ? values : this.positions.map((p) => values[p]));
    if (typeof parsed === 'string') return this.reject(parsed);
    this.batch.push(parsed);
  }

  /** Takes the next record, a data row already parsed and accepted (a fast path's). */
  accept(row: T): void {
    this.line++;
    this.summary.read++;
    this.batch.push(row);
  }

  /** The accepted rows so far, handed over. */
  takeBatch(): B {
    const rows = this.batch;
    this.batch = this.newBatch();
    return rows;
  }

  private reject(reason: string) {
    this.summary.rejected++;
    if (this.summary.errors.length < MAX_REPORTED_ERRORS) this.summary.errors.push({ line: this.line, reason });
  }
}

const emptyFile = (spec: FeedSpec<unknown>) => new FeedRefusedError(`${spec.name} file is empty: it needs a header row`);

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
): Promise<FeedSummary> {
  const records = new FeedRecords(spec);
  return new Promise((resolve, reject) => {
    const { source, parser, close } = openCsv(path);
    // The file is read ahead of the parser, so progress counts the bytes of the rows parsed.
    let consumed = 0;
    let pending: Promise<void> = Promise.resolve();
    let failed = false;

    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      close();
      reject(error);
    };
    const flush = () => {
      const rows = records.takeBatch();
      onProgress?.(Math.min(consumed, source.bytesRead), records.summary.read);
      parser.pause();
      pending = pending.then(() => onBatch(rows));
      pending.then(() => parser.resume(), fail);
    };

    parser.on('data', (values: string[]) => {
      consumed += rowBytes(values);
      try {
        records.take(values);
      } catch (error) {
        return fail(error as Error);
      }
      if (records.batch.length >= batchSize) flush();
    });
    parser.on('error', (e) => fail(new FeedRefusedError(`${spec.name} file could not be read: ${e.message}`)));
    parser.on('end', () => {
      if (records.line === 0) return fail(emptyFile(spec));
      if (records.batch.length > 0) flush();
      pending.then(() => {
        if (!failed) resolve(records.summary);
      }, fail);
    });
  });
}

/**
 * Reads a polls file with the same result as readFeed (same accepted rows, same rejected lines
 * and reasons, same summary), several times faster: lines without quotes skip fast-csv
 * (readCsvLines), and the feed's usual line is validated in place (parsePollLine). Accepted rows
 * go on in batches of `batchSize`; the next batch is read while `onBatch` handles the last.
 */
export async function readPollsFile(
  path: string,
  batchSize: number,
  onBatch: (rows: PollRows) => Promise<void>,
  chunkBytes?: number,
  onProgress?: ReadProgress,
): Promise<FeedSummary> {
  const records = new FeedRecords(POLLS_FEED, () => new PollRows(batchSize));
  // Bytes of the records taken: exact for a plain ASCII line (its text and '\n'), close for the rest.
  let consumed = 0;
  // The first batches are small, so that the writer starts while the parser reads on (else the
  // database idles through the reading of a whole batch), and grow by half each time: the parser
  // reads faster than the database writes, so it stays a batch ahead.
  let limit = Math.min(batchSize, FIRST_BATCH);
  let pending: Promise<void> = Promise.resolve();
  const batchFailure: { failed: boolean; error?: unknown } = { failed: false };
  const sink: CsvLineSink = {
    line(text) {
      consumed += text.length + 1;
      const row = records.exact ? parsePollLine(text) : null;
      if (row !== null) records.accept(row);
      else records.take(splitUnquotedLine(text));
    },
    record: (values) => {
      consumed += rowBytes(values);
      records.take(values);
    },
    get full() {
      return records.batch.length >= limit;
    },
    async drain() {
      limit = Math.min(batchSize, Math.ceil(limit * 1.5));
      // One batch handled while the next is read: wait for the one before, then hand this one on.
      await pending;
      if (batchFailure.failed) throw batchFailure.error;
      onProgress?.(consumed, records.summary.read);
      pending = onBatch(records.takeBatch()).catch((error: unknown) => {
        if (!batchFailure.failed) Object.assign(batchFailure, { failed: true, error });
      });
    },
  };
  try {
    await readCsvLines(path, sink, chunkBytes);
    if (records.line === 0) throw emptyFile(POLLS_FEED);
    if (records.batch.length > 0) await sink.drain();
  } catch (error) {
    await pending;
    if (batchFailure.failed) throw batchFailure.error; // the writer's failure, as it is
    if (error instanceof FeedRefusedError) throw error;
    throw new FeedRefusedError(`polls file could not be read: ${(error as Error).message}`);
  }
  await pending;
  if (batchFailure.failed) throw batchFailure.error;
  return records.summary;
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
): Promise<FeedSummary> {
  if (!existsSync(POLLS_WORKER)) {
    return readPollsFile(path, batchSize, (rows) => onBatch(preparePollBatch(rows, form)), undefined, onProgress);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(POLLS_WORKER, {
      workerData: { path, batchSize, form },
      // Bounds, so that memory stays flat whatever the file's size. What lives on is small: the
      // batch being read (typed arrays, its store ids) and a chunk of text or two; a line's garbage
      // dies young. A record is at most MAX_OPEN_RECORD (readCsvLines).
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 },
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
  | { type: 'done'; summary: FeedSummary }
  | { type: 'error'; message: string; refused: boolean };
