import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'fast-csv';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { PollRow } from '../common/types/feed-rows.types';
import { PollRows } from '../repositories/poll/poll-rows';
import { mulberry32 } from '../common/utils/mulberry32.util';
import { checkFeedHeader, readFeed, readPollsFile } from './csv-feed.reader';
import { MAX_OPEN_RECORD, readCsvLines } from './csv-lines.reader';
import { POLLS_FEED } from './utils/feed-specs.util';
import { splitUnquotedLine } from './utils/split-unquoted-line.util';

/**
 * The fast polls reader (readPollsFile: plain lines split in place, fast-csv only for lines with a
 * quote or a lone CR) must read every file exactly as readFeed (fast-csv for every line) does.
 * Random CSV, with everything a CSV file can hold, goes through both; every accepted row, every
 * rejected line and reason, the summary and any error must be the same, whatever the read chunks.
 */
const dir = mkdtempSync(join(tmpdir(), 'sm-csv-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const fileOf = (text: string) => {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
};

const STORE_IDS = [
  '4821665419609500683',
  '18446744073709551615',
  'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099',
  'a_b',
  '',
  'x'.repeat(65),
  'has space',
  'é1',
  '12,34',
  'a"b',
];
const STATUSES = ['active', 'inactive', 'ACTIVE', 'InActive', 'activ', '', 'act"ive', 'in\nactive', '🙂'];
const TIMES = [
  '2023-03-03 18:00:01.252551 UTC',
  '2023-03-03 18:00:01 UTC',
  '2023-03-04T15:03:57Z',
  '2023-03-04 20:33:57.5+05:30',
  '2023-03-04 15:03:57 utc',
  '2023-02-29 00:00:00 UTC',
  '2023-03-03 24:00:00 UTC',
  '2023-03-03 18:00:01.1234567 UTC',
  'never',
  '2023-03-03\n18:00:01 UTC',
  '2023-03-03 18:00:01, UTC',
];
const HEADERS = [
  ['store_id', 'status', 'timestamp_utc'],
  ['store_id', 'status', 'timestamp_utc'],
  ['store_id', 'status', 'timestamp_utc'],
  ['timestamp_utc', 'store_id', 'status'],
  ['store_id', 'status', 'timestamp_utc', 'extra'],
  ['status', 'timestamp_utc', 'store_id'],
  ['store_id', 'status', 'timestamp_utc'],
  ['store_id', 'status', 'timestamp_utc'],
  ['store_id', 'status', 'timestamp_utc'],
  ['store_id', 'status', 'timestamp_utc'],
  ['store_id', 'state', 'timestamp_utc'],
];
const SPACES = [' ', '  ', '\t', '\u00a0', '\uFEFF'];

/** A random CSV file of polls: mostly valid rows, and every oddity in some. */
function randomCsv(rand: () => number, maxRows: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const eol = pick(['\n', '\n', '\r\n', 'mixed']);
  const newline = () => (eol === 'mixed' ? pick(['\n', '\r\n', '\r', '\n']) : eol);
  const field = (value: string) => {
    let v = value;
    if (chance(0.08))
      v = `"${v.replace(/"/g, '""')}"`; // quoted, which a value with a comma or newline needs
    else if (chance(0.0015))
      v = `"${v}"x`; // text after the closing quote: fast-csv refuses the file
    else if (chance(0.0005)) v = `"${v}`; // a quote never closed
    if (chance(0.08)) v = pick(SPACES) + v;
    if (chance(0.08)) v += pick(SPACES);
    return v;
  };
  const header = pick(HEADERS);
  let text = chance(0.2) ? '\uFEFF' : '';
  text += header.map((h) => (chance(0.1) ? ` ${h} ` : chance(0.05) ? `"${h}"` : h)).join(',') + newline();
  const rows = Math.floor(rand() * (maxRows + 1));
  for (let r = 0; r < rows; r++) {
    const kind = rand();
    if (kind < 0.04) text += '';
    else if (kind < 0.06) text += pick(SPACES);
    else if (kind < 0.07) text += ',,';
    else {
      const valid = chance(0.7);
      const values = header.map((h) => {
        if (h === 'store_id') return valid ? pick(STORE_IDS.slice(0, 4)) : pick(STORE_IDS);
        if (h === 'status' || h === 'state') return valid ? pick(STATUSES.slice(0, 4)) : pick(STATUSES);
        if (h === 'timestamp_utc') return valid ? pick(TIMES.slice(0, 5)) : pick(TIMES);
        return 'x';
      });
      if (chance(0.04)) values.pop(); // ragged rows
      if (chance(0.04)) values.push('more');
      text += values.map(field).join(',');
    }
    if (r < rows - 1 || chance(0.7)) text += newline();
  }
  if (chance(0.05)) text += pick(SPACES);
  return text;
}

/** The rows of a batch, as PollRow objects in file order. */
const rowsOf = (batch: PollRow[] | PollRows): PollRow[] =>
  Array.isArray(batch)
    ? batch
    : Array.from({ length: batch.length }, (_, i) => ({
        storeId: batch.storeIds[batch.store[i]],
        timestampUs: batch.timestampUs[i],
        active: batch.active[i] === 1,
      }));

type Outcome = { rows: PollRow[]; summary: unknown } | { error: string; name: string };

/**
 * What importing the file gives: the header checked first, as IngestionService does for every file
 * of a request (checkFeedHeader: the first record), then the rows read.
 */
async function outcomeOf(
  path: string,
  read: (onBatch: (rows: PollRow[] | PollRows) => Promise<void>) => Promise<unknown>,
): Promise<Outcome> {
  const rows: PollRow[] = [];
  try {
    await checkFeedHeader(path, POLLS_FEED);
    const summary = await read(async (batch) => {
      rows.push(...rowsOf(batch));
      await new Promise((resolve) => setImmediate(resolve)); // a write takes time: the reader goes on meanwhile
    });
    return { rows, summary };
  } catch (error) {
    return { error: (error as Error).message, name: (error as Error).constructor.name };
  }
}

/** fast-csv's records of a file, with the import's options. */
const fastCsvRecords = (path: string) =>
  new Promise<string[][] | string>((resolve) => {
    const records: string[][] = [];
    createReadStream(path)
      .pipe(parse({ headers: false, trim: true }))
      .on('data', (r: string[]) => records.push(r))
      .on('error', (e) => resolve(e.message))
      .on('end', () => resolve(records));
  });

/** readCsvLines's records of a file, plain lines split as the polls reader splits them. */
async function lineRecords(path: string, chunkBytes: number): Promise<string[][] | string> {
  const records: string[][] = [];
  try {
    await readCsvLines(
      path,
      {
        line: (text) => records.push(splitUnquotedLine(text)),
        record: (values) => records.push(values),
        full: false,
        drain: async () => undefined,
      },
      chunkBytes,
    );
    return records;
  } catch (error) {
    return (error as Error).message;
  }
}

/** fast-csv quotes up to 10 characters after a malformed quote: they may run past a read chunk. */
const withoutPreview = (outcome: Outcome | string[][] | string) =>
  typeof outcome === 'string'
    ? outcome.replace(/ at '.*$/s, '')
    : 'error' in outcome
      ? { ...outcome, error: outcome.error.replace(/ at '.*$/s, '') }
      : outcome;

describe('checkFeedHeader', () => {
  it.each([
    ['a plain header', 'store_id,status,timestamp_utc\n1,active', null],
    [
      'a quoted header across lines, BOM and CRLF',
      '\uFEFF "store_id" , "sta\ntus",timestamp_utc\r\n',
      'polls file header lacks required column(s) "status" (found: store_id, sta\ntus, timestamp_utc)',
    ],
    ['columns in another order, no newline', ' timestamp_utc,"status",store_id', null],
    [
      'a missing column',
      'store_id,state,timestamp_utc\n',
      'polls file header lacks required column(s) "status" (found: store_id, state, timestamp_utc)',
    ],
    ['an empty file', '', 'polls file is empty: it needs a header row'],
    [
      'a blank first line',
      ' \n',
      'polls file header lacks required column(s) "store_id", "status", "timestamp_utc" (found: nothing)',
    ],
    [
      'a malformed quote in the header',
      '"store_id"x,status,timestamp_utc\n',
      `polls file is not readable CSV: Parse Error: expected: ',' OR new line got: 'x'. at 'x,status,t'`,
    ],
    // only the header is read: the rows are the import's to judge
    [
      'a malformed quote 200 KB further',
      `store_id,status,timestamp_utc\n${'1,active,2023-03-03 18:00:01 UTC\n'.repeat(6000)}"2"x,active,\n`,
      null,
    ],
  ])('%s', async (_, text, refusal) => {
    const checked = checkFeedHeader(fileOf(text), POLLS_FEED);
    if (refusal === null) await expect(checked).resolves.toBeUndefined();
    else await expect(checked).rejects.toThrow(new FeedRefusedError(refusal));
  });
});

describe('readPollsFile reads every file as readFeed (fast-csv) does', () => {
  it.each([
    [
      'a plain file',
      'store_id,status,timestamp_utc\n1,active,2023-03-03 18:00:01.252551 UTC\n2,inactive,2023-03-03 18:00:02 UTC\n',
    ],
    [
      'a BOM, CRLF and no final newline',
      '\uFEFFstore_id,status,timestamp_utc\r\n1,active,2023-03-03 18:00:01 UTC\r\n2,ACTIVE,2023-03-03 18:00:02 UTC',
    ],
    [
      'quoted values across lines',
      'store_id,status,timestamp_utc\n"1","act\nive",x\n"2",active,"2023-03-03 18:00:01 UTC"\n3,active,2023-03-03 18:00:01 UTC\n',
    ],
    ['lone CRs', 'store_id,status,timestamp_utc\r1,active,2023-03-03 18:00:01 UTC\r\r2,active\n'],
    ['blank and white lines', 'store_id,status,timestamp_utc\n\n  \n,\n1,active,2023-03-03 18:00:01 UTC\n \t'],
    ['columns in another order, spaced', ' timestamp_utc , store_id,status\n2023-03-03 18:00:01 UTC , 7 , inactive\n'],
    [
      'a malformed quote',
      'store_id,status,timestamp_utc\n1,active,2023-03-03 18:00:01 UTC\n"2"x,active,2023-03-03 18:00:01 UTC\n',
    ],
    [
      'a quote never closed',
      'store_id,status,timestamp_utc\n1,active,2023-03-03 18:00:01 UTC\n"2,active,2023-03-03 18:00:01 UTC\n',
    ],
    ['a header without status', 'store_id,state,timestamp_utc\n1,active,2023-03-03 18:00:01 UTC\n'],
    ['an empty file', ''],
  ])('%s', async (_, text) => {
    const path = fileOf(text);
    const expected = await outcomeOf(path, (onBatch) => readFeed(path, POLLS_FEED, 2, onBatch));
    expect(await outcomeOf(path, (onBatch) => readPollsFile(path, 2, onBatch))).toEqual(expected);
    expect(withoutPreview(await outcomeOf(path, (onBatch) => readPollsFile(path, 1, onBatch, 3)))).toEqual(
      withoutPreview(expected),
    );
  });

  it('refuses a record longer than 16 MiB (a quote never closed) instead of holding it', async () => {
    const path = fileOf(
      `store_id,status,timestamp_utc\n"1,active,${'x'.repeat(MAX_OPEN_RECORD)}\n2,active,2023-03-03 18:00:01 UTC\n`,
    );
    // read in one chunk: fast-csv then scans the record once, not once per MiB
    expect(await outcomeOf(path, (onBatch) => readPollsFile(path, 2, onBatch, 32 << 20))).toEqual({
      name: 'FeedRefusedError',
      error: `polls file could not be read: a record runs on for more than 16 MiB (a quote never closed?) at '"1,active,${'x'.repeat(30)}…'`,
    });
  });

  // Up to 20 data rows, so that `errors` lists every rejected line.
  it('agrees on 400 random files, read in chunks of every size', async () => {
    const rand = mulberry32(20261124);
    for (let i = 0; i < 400; i++) {
      const text = randomCsv(rand, 20);
      const path = fileOf(text);
      const batchSize = 1 + Math.floor(rand() * 6);
      const chunkBytes = 1 + Math.floor(rand() * 40);
      const expected = await outcomeOf(path, (onBatch) => readFeed(path, POLLS_FEED, batchSize, onBatch));
      const context = { file: i, text, batchSize, chunkBytes };
      expect({ ...context, outcome: await outcomeOf(path, (onBatch) => readPollsFile(path, batchSize, onBatch)) }).toEqual({
        ...context,
        outcome: expected,
      });
      expect({
        ...context,
        outcome: withoutPreview(await outcomeOf(path, (onBatch) => readPollsFile(path, batchSize, onBatch, chunkBytes))),
      }).toEqual({ ...context, outcome: withoutPreview(expected) });
    }
  });

  it('gives fast-csv records for 100 larger random files, line for line', async () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 100; i++) {
      const text = randomCsv(rand, 300);
      const path = fileOf(text);
      const chunkBytes = 1 + Math.floor(rand() * 200);
      const expected = await fastCsvRecords(path);
      const context = { file: i, text, chunkBytes };
      expect({ ...context, records: await lineRecords(path, 1 << 20) }).toEqual({ ...context, records: expected });
      expect({ ...context, records: withoutPreview(await lineRecords(path, chunkBytes)) }).toEqual({
        ...context,
        records: withoutPreview(expected),
      });
    }
  });
});
