import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParserOptions } from 'fast-csv';
import { emptyFeedSummary, FeedSummary, MAX_REPORTED_ERRORS } from './feed-summary';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { takeWorker, WorkerSpec } from '../common/spare-workers';
import { PollBatch } from '../repositories/poll/poll-batch.types';
import { preparePollBatch } from '../repositories/poll/prepare-poll-batch.util';
import { PollRows } from '../repositories/poll/poll-rows';
import { KnownStores } from '../repositories/poll/known-stores';
import { HOURS_VALUES, RowValues, StoreRows, ZONE_VALUES } from '../stores/store-rows';
import { CsvLineSink, MAX_FIELDS, readCsvLines } from './csv-lines.reader';
import { FEED_SPECS, FeedSpec, mapHeader } from './utils/feed-specs.util';
import { parsePollLine } from './utils/parse-poll-line.util';
import { pollsFeedAt } from './utils/polls-feed-at.util';
import { shortReason } from './utils/short-reason.util';
import { splitUnquotedLine } from './utils/split-unquoted-line.util';

/** Rows of the first polls batch (see readPollsFile). */
const FIRST_BATCH = 20_000;
/** A header is one record of at most MAX_RECORD_CHARS: a small first read finds it. */
const HEADER_CHUNK = 64 << 10;
/** Rows of business hours or zones read between two progress reports. */
const FEED_BATCH = 20_000;

/** The feeds whose rows are held whole until written: business hours and zones. */
export type StoreFeed = 'business_hours' | 'timezones';
const STORE_FEED_VALUES: Record<StoreFeed, RowValues<{ storeId: string }>> = {
  business_hours: HOURS_VALUES,
  timezones: ZONE_VALUES,
};

/**
 * Characters of the file read so far (bytes, for ASCII text), data rows read, and the physical
 * lines read (the header included): for an import's progress, and where it stopped if it fails.
 */
export type ReadProgress = (bytesRead: number, rowsRead: number, linesRead: number) => void;

export interface ReadOptions {
  /** Bytes per read of the file (readCsvLines; the tests read in tiny chunks). */
  chunkBytes?: number;
  onProgress?: ReadProgress;
}

export interface PollsReadOptions extends ReadOptions {
  /** When the import started (ms since the epoch, default now): later polls than an hour after are rejected. */
  importStartMs?: number;
}

/** What readPollsInBackground also tells: each batch as soon as it is parsed, and the end of parsing. */
export interface ParsedHooks {
  /** A batch parsed, in file order, before `onBatch` takes it (the parser runs up to two batches ahead). */
  onParsed?: (batch: PollBatch) => void;
  /** Every batch is parsed (the file is valid to its end); `onBatch` may still have some to take. */
  onParsedAll?: () => void;
}

/** fast-csv, loaded with the first quoted record: most files have none, and most threads never need it. */
let fastCsv: { module: typeof import('fast-csv'); options: ParserOptions } | null = null;

/**
 * The values of one record (readCsvLines framed it: at most MAX_RECORD_CHARS) as fast-csv reads
 * it, or why not. fast-csv's public stream, given the whole record at once, hands its row on
 * synchronously within `end()` (its transform parses the chunk and pushes the row to the 'data'
 * listener at once), so a record is read in place; an error of fast-csv's comes later, and the
 * record is malformed then. The framing has refused what fast-csv would (a quote never closed, text
 * after a closing quote) before it gets here.
 */
function fastCsvValues(text: string): string[] | string {
  if (fastCsv === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require('fast-csv') as typeof import('fast-csv');
    fastCsv = { module, options: new module.ParserOptions({ headers: false, trim: true }) };
  }
  const stream = new fastCsv.module.CsvParserStream<string[], string[]>(fastCsv.options);
  const rows: string[][] = [];
  stream.on('data', (row: string[]) => rows.push(row));
  stream.on('error', () => undefined); // reported by the missing row
  stream.end(`${text}\n`);
  if (rows.length === 0) return 'not readable CSV';
  return rows.length === 1 ? rows[0] : 'not one CSV record';
}

/** Where accepted rows gather: an array, or the polls' columns (PollRows). */
export interface RowBatch<T> {
  push(row: T): void;
  readonly length: number;
}

/**
 * The rules a feed file is read by, one record at a time, whatever parser split it: the first
 * record is the header (columns found by name, at most MAX_FIELDS), blank lines are no data row,
 * a row must have the header's width and pass the feed's validation, a malformed record is a
 * rejected row. Rejected rows are counted, the first 20 with the number of the record's first
 * physical line and a short reason. Accepted rows gather in `batch`.
 */
export class FeedRecords<T, B extends RowBatch<T> = T[]> {
  readonly summary: FeedSummary = emptyFeedSummary();
  batch: B;
  /** The header was read (and accepted). */
  started = false;
  /** The header maps the spec's columns to the first positions, in order, and has no other. */
  exact = false;
  private positions: number[] = [];
  private width = 0;
  private inOrder = false;

  constructor(
    readonly spec: FeedSpec<T>,
    private readonly newBatch: () => B = () => [] as unknown as B,
  ) {
    this.batch = newBatch();
  }

  /** Takes the values of the record at `line`. Throws FeedRefusedError for a header refused. */
  take(values: string[], line: number): void {
    if (!this.started) return this.header(values);
    if (values.length === 0 || (values.length === 1 && values[0] === '')) return; // a blank line: not a data row
    this.summary.read++;
    if (values.length > MAX_FIELDS) return this.reject(line, `more than ${MAX_FIELDS} values`);
    if (values.length !== this.width) return this.reject(line, `expected ${this.width} columns, found ${values.length}`);
    const parsed = this.spec.parse(this.inOrder ? values : this.positions.map((p) => values[p]));
    if (typeof parsed === 'string') return this.reject(line, parsed);
    this.batch.push(parsed);
  }

  /** Takes the record at `line` as text, read by fast-csv. */
  takeText(text: string, line: number): void {
    const values = fastCsvValues(text);
    if (typeof values === 'string') this.malformed(line, values);
    else this.take(values, line);
  }

  /** A malformed record at `line`: a rejected row, or, for the header, the file refused. */
  malformed(line: number, reason: string): void {
    if (!this.started) throw new FeedRefusedError(`${this.spec.name} file header cannot be read: ${shortReason(reason)}`);
    this.summary.read++;
    this.reject(line, reason);
  }

  /** Takes a data row already parsed and accepted (a fast path's). */
  accept(row: T): void {
    this.summary.read++;
    this.batch.push(row);
  }

  /** The accepted rows so far, handed over. */
  takeBatch(): B {
    const rows = this.batch;
    this.batch = this.newBatch();
    return rows;
  }

  private header(values: string[]) {
    if (values.length > MAX_FIELDS) {
      throw new FeedRefusedError(`${this.spec.name} file header has ${values.length} columns, more than ${MAX_FIELDS}`);
    }
    const mapped = mapHeader(this.spec, values);
    if (typeof mapped === 'string') throw new FeedRefusedError(shortReason(mapped));
    this.positions = mapped;
    this.width = values.length;
    this.inOrder = mapped.every((p, i) => p === i);
    this.exact = this.inOrder && this.width === mapped.length;
    this.started = true;
  }

  private reject(line: number, reason: string) {
    this.summary.rejected++;
    if (this.summary.errors.length < MAX_REPORTED_ERRORS) this.summary.errors.push({ line, reason: shortReason(reason) });
  }
}

const emptyFile = (spec: FeedSpec<unknown>) => new FeedRefusedError(`${spec.name} file is empty: it needs a header row`);

/** A sink that reads the first record only, into `records` (its header). */
function headerSink(records: FeedRecords<unknown>): CsvLineSink {
  return {
    line: (text, lineNo) => records.take(splitUnquotedLine(text), lineNo),
    record: (text, lineNo) => records.takeText(text, lineNo),
    malformed: (lineNo, reason) => records.malformed(lineNo, reason),
    full: false,
    drain: async () => undefined,
    get done() {
      return records.started;
    },
  };
}

/**
 * Reads only the header of a feed file and checks it, so that every file of an import can be
 * refused before any of them writes: the first record, at most MAX_RECORD_CHARS read, so a large
 * file costs the check nothing. Throws FeedRefusedError.
 */
export async function checkFeedHeader(path: string, spec: FeedSpec<unknown>): Promise<void> {
  const records = new FeedRecords(spec);
  try {
    await readCsvLines(path, headerSink(records), HEADER_CHUNK);
  } catch (error) {
    if (error instanceof FeedRefusedError) throw error;
    throw new FeedRefusedError(`${spec.name} file could not be read`);
  }
  if (!records.started) throw emptyFile(spec);
}

/** The first record of a CSV file as values (null for an empty file), read without the rest; throws if it is malformed. */
export async function readHeaderRow(path: string): Promise<string[] | null> {
  let header: string[] | null = null;
  await readCsvLines(
    path,
    {
      line: (text) => void (header = splitUnquotedLine(text)),
      record: (text) => {
        const values = fastCsvValues(text);
        if (typeof values === 'string') throw new Error(values);
        header = values;
      },
      malformed: (_, reason) => {
        throw new Error(reason);
      },
      full: false,
      drain: async () => undefined,
      get done() {
        return header !== null;
      },
    },
    HEADER_CHUNK,
  );
  return header;
}

/**
 * Reads a feed file's records into `records` (plain lines through `line`, the others through
 * fast-csv) and hands the accepted rows on in batches: the first of `firstBatch` rows, each next
 * one half larger, up to `batchSize`. The next batch is read while `onBatch` handles the last
 * one; reading waits for it before handing on another, so memory stays flat.
 */
async function readRecords<T, B extends RowBatch<T>>(
  path: string,
  records: FeedRecords<T, B>,
  line: (text: string, lineNo: number) => void,
  sizes: { batchSize: number; firstBatch: number },
  onBatch: (rows: B) => Promise<void>,
  { chunkBytes, onProgress }: ReadOptions,
): Promise<FeedSummary> {
  const { batchSize } = sizes;
  let limit = Math.min(batchSize, sizes.firstBatch);
  let pending: Promise<void> = Promise.resolve();
  const batchFailure: { failed: boolean; error?: unknown } = { failed: false };
  const sink: CsvLineSink = {
    line,
    record: (text, lineNo) => records.takeText(text, lineNo),
    malformed: (lineNo, reason) => records.malformed(lineNo, reason),
    get full() {
      return records.batch.length >= limit;
    },
    async drain(charsRead, linesRead) {
      limit = Math.min(batchSize, Math.ceil(limit * 1.5));
      // One batch handled while the next is read: wait for the one before, then hand this one on.
      await pending;
      if (batchFailure.failed) throw batchFailure.error;
      onProgress?.(charsRead, records.summary.read, linesRead);
      pending = onBatch(records.takeBatch()).catch((error: unknown) => {
        if (!batchFailure.failed) Object.assign(batchFailure, { failed: true, error });
      });
    },
  };
  try {
    const { chars, lines } = await readCsvLines(path, sink, chunkBytes);
    if (!records.started) throw emptyFile(records.spec);
    if (records.batch.length > 0) await sink.drain(chars, lines);
  } catch (error) {
    await pending;
    if (batchFailure.failed) throw batchFailure.error; // the writer's failure, as it is
    if (error instanceof FeedRefusedError) throw error;
    throw new FeedRefusedError(`${records.spec.name} file could not be read`);
  }
  await pending;
  if (batchFailure.failed) throw batchFailure.error;
  return records.summary;
}

/**
 * How a plain line (one without a quote) becomes values: split by hand (splitUnquotedLine, the
 * import), or read by fast-csv like every other record (the reference the tests hold the import to).
 */
export type PlainLines = 'split' | 'fast-csv';

/**
 * Reads a feed file (readCsvLines: linear time, bounded memory, physical line numbers), validates
 * each row with the feed's spec and hands the accepted rows on in batches of `batchSize`.
 */
export function readFeed<T>(
  path: string,
  spec: FeedSpec<T>,
  batchSize: number,
  onBatch: (rows: T[]) => Promise<void>,
  options: ReadOptions & { plain?: PlainLines } = {},
): Promise<FeedSummary> {
  const records = new FeedRecords(spec);
  const line =
    options.plain === 'fast-csv'
      ? (text: string, lineNo: number) => records.takeText(text, lineNo)
      : (text: string, lineNo: number) => records.take(splitUnquotedLine(text), lineNo);
  return readRecords(path, records, line, { batchSize, firstBatch: batchSize }, onBatch, options);
}

/**
 * Reads a polls file with the same result as readFeed with `plain: 'fast-csv'` (same accepted
 * rows, same rejected lines and reasons, same summary), several times faster: plain lines are
 * split by hand, and the feed's usual line is validated in place (parsePollLine). Polls later than
 * the import's start plus one hour are rejected (pollsFeedAt). Accepted rows go on in batches up
 * to `batchSize`; the first batches are small, so that the writer starts while the parser reads
 * on (else the database idles through the reading of a whole batch), and grow by half each time:
 * the parser reads faster than the database writes, so it stays a batch ahead.
 */
export function readPollsFile(
  path: string,
  batchSize: number,
  onBatch: (rows: PollRows) => Promise<void>,
  options: PollsReadOptions = {},
): Promise<FeedSummary> {
  const spec = pollsFeedAt(options.importStartMs ?? Date.now());
  const { notAfterUs } = spec;
  const known = new KnownStores();
  const records = new FeedRecords(spec, () => new PollRows(batchSize, known));
  const line = (text: string, lineNo: number) => {
    const row = records.exact ? parsePollLine(text, known.has) : null;
    if (row !== null && row.timestampUs <= notAfterUs) records.accept(row);
    else records.take(splitUnquotedLine(text), lineNo);
  };
  return readRecords(path, records, line, { batchSize, firstBatch: FIRST_BATCH }, onBatch, options);
}

/** How far reading had come when a batch was handed on: the data rows and physical lines read, the batch's included. */
export interface ReadPosition {
  rowsRead: number;
  linesRead: number;
}

/** The compiled worker; null when running from TypeScript sources (jest), then parsing stays in-thread. */
export const POLLS_PARSER_WORKER: WorkerSpec | null = existsSync(join(__dirname, 'polls-parser.worker.js'))
  ? {
      script: join(__dirname, 'polls-parser.worker.js'),
      // Bounds, so that memory stays flat whatever the file's size. What lives on is small: the
      // batch being read (typed arrays, its store ids) and a chunk of text or two; a line's garbage
      // dies young. A record is at most MAX_RECORD_CHARS (readCsvLines).
      options: { resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 } },
    }
  : null;

/**
 * Reads a polls file into prepared batches (deduplicated, in key order, as rows or TSV). When the
 * compiled worker is there, parsing and preparing run in a worker thread, on another core,
 * while this thread writes; the event loop stays free for the API. Batches reach `onBatch`
 * one at a time, in file order, each with how far reading had come with it.
 */
export function readPollsInBackground(
  path: string,
  batchSize: number,
  onBatch: (batch: PollBatch, readTo: ReadPosition) => Promise<void>,
  options: PollsReadOptions = {},
  { onParsed, onParsedAll }: ParsedHooks = {},
): Promise<FeedSummary> {
  const importStartMs = options.importStartMs ?? Date.now();
  if (POLLS_PARSER_WORKER === null) {
    // Reading tells its position just before it hands a batch on.
    let readTo: ReadPosition = { rowsRead: 0, linesRead: 0 };
    const onProgress: ReadProgress = (bytes, rowsRead, linesRead) => {
      readTo = { rowsRead, linesRead };
      options.onProgress?.(bytes, rowsRead, linesRead);
    };
    const take = (rows: PollRows) => {
      const batch = preparePollBatch(rows);
      onParsed?.(batch);
      return onBatch(batch, readTo);
    };
    return readPollsFile(path, batchSize, take, { ...options, onProgress, importStartMs }).then((summary) => {
      onParsedAll?.();
      return summary;
    });
  }
  return new Promise((resolve, reject) => {
    const worker = takeWorker(POLLS_PARSER_WORKER);
    worker.postMessage({ path, batchSize, importStartMs } satisfies PollsParserData);
    let chain: Promise<void> = Promise.resolve();
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (m: ParserMessage) => {
      try {
        if (m.type === 'batch') onParsed?.(m.batch);
        else if (m.type === 'done') onParsedAll?.();
      } catch (error) {
        return fail(error as Error);
      }
      if (m.type === 'batch') {
        options.onProgress?.(m.bytesRead, m.rowsRead, m.linesRead);
        const readTo = { rowsRead: m.rowsRead, linesRead: m.linesRead };
        chain = chain.then(() => onBatch(m.batch, readTo)).then(() => worker.postMessage('ack'));
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

/**
 * Reads a business-hours or timezones file whole (the rules of readFeed) into StoreRows: no object
 * kept per row, so that the rows of a large file can wait for their transaction (and its retries).
 */
export async function readStoreRows(
  path: string,
  feed: StoreFeed,
  options: ReadOptions = {},
): Promise<{ summary: FeedSummary; rows: StoreRows<{ storeId: string }> }> {
  const values = STORE_FEED_VALUES[feed];
  const rows = new StoreRows(values);
  const records = new FeedRecords(FEED_SPECS[feed] as FeedSpec<{ storeId: string }>, () => new StoreRows(values, FEED_BATCH));
  const line = (text: string, lineNo: number) => records.take(splitUnquotedLine(text), lineNo);
  const sizes = { batchSize: FEED_BATCH, firstBatch: FEED_BATCH };
  const summary = await readRecords(path, records, line, sizes, async (batch) => rows.append(batch), options);
  return { summary, rows };
}

export interface PollsParserData {
  path: string;
  batchSize: number;
  importStartMs: number;
}

export type ParserMessage =
  | { type: 'batch'; batch: PollBatch; bytesRead: number; rowsRead: number; linesRead: number }
  | { type: 'done'; summary: FeedSummary }
  | { type: 'error'; message: string; refused: boolean };
