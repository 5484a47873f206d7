import { createReadStream } from 'node:fs';
import { parse } from 'fast-csv';
import { FeedSummaryDto, MAX_REPORTED_ERRORS } from './dto/import-summary.dto';
import { FeedSpec, mapHeader } from './utils/feed-specs.util';

/** A file refused as a whole (SPEC §1): nothing of it, nor of its request, is written. */
export class FeedRefusedError extends Error {}

const READ_CHUNK = 1 << 20;

function openCsv(path: string) {
  return createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(parse({ headers: false, trim: true }));
}

/**
 * Reads only the header row of a feed file and checks it, so that every file of an import can be
 * refused before any of them writes. Throws FeedRefusedError.
 */
export async function checkFeedHeader(path: string, spec: FeedSpec<unknown>): Promise<void> {
  const header = await new Promise<string[] | null>((resolve, reject) => {
    const parser = openCsv(path);
    parser.once('data', (values: string[]) => {
      resolve(values);
      parser.destroy();
    });
    parser.once('end', () => resolve(null));
    parser.once('error', (e) => reject(new FeedRefusedError(`${spec.name} file is not readable CSV: ${e.message}`)));
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
): Promise<FeedSummaryDto> {
  const summary = new FeedSummaryDto();
  return new Promise((resolve, reject) => {
    const parser = openCsv(path);
    let line = 0;
    let positions: number[] = [];
    let width = 0;
    let batch: T[] = [];
    let pending: Promise<void> = Promise.resolve();
    let failed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      parser.destroy();
      reject(error);
    };
    const reject1 = (reason: string) => {
      summary.rejected++;
      if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push({ line, reason });
    };
    const flush = () => {
      const rows = batch;
      batch = [];
      parser.pause();
      pending = pending.then(() => onBatch(rows));
      pending.then(() => parser.resume(), fail);
    };

    parser.on('data', (values: string[]) => {
      line++;
      if (line === 1) {
        const mapped = mapHeader(spec as FeedSpec<unknown>, values);
        if (typeof mapped === 'string') return fail(new FeedRefusedError(mapped));
        positions = mapped;
        width = values.length;
        return;
      }
      if (values.length === 0 || (values.length === 1 && values[0] === '')) return; // a blank line: not a data row
      summary.read++;
      if (values.length !== width) {
        return reject1(`expected ${width} columns, found ${values.length}`);
      }
      const parsed = spec.parse(positions.map((p) => values[p]));
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
