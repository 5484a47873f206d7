import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvParserStream, ParserOptions, parseString } from 'fast-csv';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { PollRow } from '../common/types/feed-rows.types';
import { PollRows } from '../repositories/poll/poll-rows';
import { mulberry32 } from '../common/utils/mulberry32.util';
import { checkFeedHeader, readFeed, readPollsFile } from './csv-feed.reader';
import { MALFORMED, MAX_FIELDS, MAX_RECORD_CHARS, readCsvLines } from './csv-lines.reader';
import { POLLS_FEED } from './utils/feed-specs.util';
import { pollsFeedAt } from './utils/polls-feed-at.util';
import { splitUnquotedLine } from './utils/split-unquoted-line.util';

/**
 * The fast polls reader (readPollsFile: plain lines split in place, fast-csv only for records with
 * a quote) must read every file exactly as readFeed with every record through fast-csv does.
 * Random CSV, with everything a CSV file can hold (malformed records too: over-long lines, NULs,
 * quotes never closed, too many values, polls in the future), goes through both; every accepted
 * row, every rejected line and reason, the summary and any error must be the same, whatever the
 * read chunks. The framing itself (readCsvLines) is held to fast-csv's stream: its records are the
 * ones fast-csv reads once the rejected lines are taken out, and each is numbered by its line.
 */
const dir = mkdtempSync(join(tmpdir(), 'sm-csv-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const fileOf = (text: string) => {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
};

/** The import's start in these tests: polls after 2023-03-05 01:00 UTC are in the future. */
const START_MS = Date.parse('2023-03-05T00:00:00Z');

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
  '2023-03-05 01:00:00 UTC', // the last instant not in the future
  '2023-02-29 00:00:00 UTC',
  '2023-03-03 24:00:00 UTC',
  '2023-03-03 18:00:01.1234567 UTC',
  'never',
  '2023-03-03\n18:00:01 UTC',
  '2023-03-03 18:00:01, UTC',
  '2023-03-05 01:00:00.000001 UTC', // in the future
  '2203-03-03 18:00:01 UTC',
  '2023-03-05T03:00:00+02:00',
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
const SPACES = [' ', '  ', '\t', '\u00a0', '\uFEFF', '\u3000', '\u2028'];

/**
 * A random CSV file of polls: mostly valid rows, and every oddity in some. With `long`, a few
 * records longer than MAX_RECORD_CHARS (a line, a quoted value across lines, a quote never closed).
 */
function randomCsv(rand: () => number, maxRows: number, long = false): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const eol = pick(['\n', '\n', '\r\n', 'mixed']);
  const newline = () => (eol === 'mixed' ? pick(['\n', '\r\n', '\r', '\n']) : eol);
  const field = (value: string) => {
    let v = value;
    if (chance(0.08))
      v = `"${v.replace(/"/g, '""')}"`; // quoted, which a value with a comma or newline needs
    else if (chance(0.0015))
      v = `"${v}"x`; // text after the closing quote
    else if (chance(0.002)) v = `"${v}`; // a quote never closed
    if (chance(0.08)) v = pick(SPACES) + v;
    if (chance(0.08)) v += pick(SPACES);
    if (chance(0.002)) v += '\0';
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
    else if (kind < 0.075) text += Array.from({ length: MAX_FIELDS + Math.floor(rand() * 3) - 1 }, () => 'v').join(',');
    else if (kind < 0.08) text += `"a\nb",${pick(['"c\r\nd"', 'x', '"\n\n"'])},2023-03-03 18:00:01 UTC`;
    else if (long && kind < 0.085) text += 'y'.repeat(MAX_RECORD_CHARS - 2 + Math.floor(rand() * 5));
    else if (long && kind < 0.09) text += `"${'z\n'.repeat(MAX_RECORD_CHARS / 2 - 2 + Math.floor(rand() * 4))}",a,b`;
    else if (long && kind < 0.092) text += `"s${'1,active,2023-03-03 18:00:01 UTC\n'.repeat(MAX_RECORD_CHARS / 32)}`;
    else {
      const valid = chance(0.7);
      const values = header.map((h) => {
        if (h === 'store_id') return valid ? pick(STORE_IDS.slice(0, 4)) : pick(STORE_IDS);
        if (h === 'status' || h === 'state') return valid ? pick(STATUSES.slice(0, 4)) : pick(STATUSES);
        if (h === 'timestamp_utc') return valid ? pick(TIMES.slice(0, 6)) : pick(TIMES);
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

/** The reference: every record through fast-csv (readFeed, `plain: 'fast-csv'`). */
const referenceOf = (path: string, batchSize: number, chunkBytes?: number) =>
  outcomeOf(path, (onBatch) => readFeed(path, pollsFeedAt(START_MS), batchSize, onBatch, { plain: 'fast-csv', chunkBytes }));
/** The import's reader. */
const fastOf = (path: string, batchSize: number, chunkBytes?: number) =>
  outcomeOf(path, (onBatch) => readPollsFile(path, batchSize, onBatch, { importStartMs: START_MS, chunkBytes }));

/** fast-csv's stream's records of a text, with the import's options, or its error. */
const fastCsvRecords = (text: string) =>
  new Promise<string[][] | string>((resolve) => {
    const records: string[][] = [];
    parseString(text, { headers: false, trim: true })
      .on('data', (r: string[]) => records.push(r))
      .on('error', (e) => resolve(e.message))
      .on('end', () => resolve(records));
  });

/** The physical lines of a text (each with its line break), cut independently of readCsvLines. */
const physicalLines = (text: string) => text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];

const isBlank = (values: string[]) => values.length === 0 || (values.length === 1 && values[0] === '');

/** One CSV record by fast-csv's grammar, written as a regular expression (blanks: `\s` but line breaks). */
const BLANK = '[ \\t\\v\\f\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
const FIELD = `(?:${BLANK}*"[^"]*(?:""[^"]*)*"${BLANK}*|(?!${BLANK}*")[^,\\r\\n]*)`;
const RECORD = new RegExp(`${FIELD}(?:,${FIELD})*(?=\\r\\n|\\n|\\r|$)`, 'y');

type Framed = ['record', number, string] | ['malformed', number];

/**
 * The framing readCsvLines must give, computed another way: at the start of each line, a record is
 * what RECORD matches there, if it does, holds no NUL and is at most MAX_RECORD_CHARS long; else
 * the line is rejected and the next line starts a record.
 */
function referenceFraming(text: string): Framed[] {
  const lines = physicalLines(text);
  const framed: Framed[] = [];
  let pos = 0;
  for (let i = 0; i < lines.length;) {
    RECORD.lastIndex = pos;
    const record = RECORD.exec(text)?.[0];
    if (record === undefined || record.length > MAX_RECORD_CHARS || record.includes('\0')) {
      framed.push(['malformed', i + 1]);
      pos += lines[i++].length;
      continue;
    }
    framed.push(['record', i + 1, record]);
    const end = pos + record.length;
    while (i < lines.length && pos <= end) pos += lines[i++].length; // the record's lines, and its line break
  }
  return framed;
}

/**
 * readCsvLines's reading of a file, held to the reference framing and to fast-csv's stream: with
 * every rejected line taken out of the file, fast-csv reads it without an error, into the same
 * records (blank ones aside).
 */
async function checkFraming(text: string, chunkBytes: number) {
  const path = fileOf(text);
  const framed: Framed[] = [];
  const records: string[][] = [];
  await readCsvLines(
    path,
    {
      line: (t, n) => (framed.push(['record', n, t]), records.push(splitUnquotedLine(t))),
      record: (t, n) => (framed.push(['record', n, t]), records.push(fastCsvRecordsSync(t)[0])),
      malformed: (n) => framed.push(['malformed', n]),
      full: false,
      drain: async () => undefined,
    },
    chunkBytes,
  );
  const rejected = new Set(framed.filter((f) => f[0] === 'malformed').map((f) => f[1]));
  const kept = physicalLines(text)
    .filter((_, i) => !rejected.has(i + 1))
    .join('');
  const expected = await fastCsvRecords(kept);
  return {
    framed,
    reference: referenceFraming(text),
    records: records.filter((v) => !isBlank(v)),
    fastCsv: typeof expected === 'string' ? expected : expected.filter((v) => !isBlank(v)),
  };
}

/** fast-csv's reading of one whole record (the text readCsvLines framed): its stream hands the row on within end(). */
function fastCsvRecordsSync(record: string): string[][] {
  const rows: string[][] = [];
  const stream = new CsvParserStream<string[], string[]>(new ParserOptions({ headers: false, trim: true }));
  stream.on('data', (row: string[]) => rows.push(row)).on('error', () => undefined);
  stream.end(`${record}\n`);
  return rows;
}

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
      `polls file header cannot be read: ${MALFORMED.afterQuote}`,
    ],
    ['a NUL in the header', 'store_id,status\0,timestamp_utc\n', `polls file header cannot be read: ${MALFORMED.nul}`],
    [
      'a header longer than a record may be',
      `store_id,status,timestamp_utc,${'x'.repeat(MAX_RECORD_CHARS)}\n1,active,2023-03-03 18:00:01 UTC\n`,
      `polls file header cannot be read: ${MALFORMED.tooLong}`,
    ],
    [
      'a header wider than MAX_FIELDS',
      `store_id,status,timestamp_utc${',x'.repeat(MAX_FIELDS - 2)}\n`,
      `polls file header has ${MAX_FIELDS + 1} columns, more than ${MAX_FIELDS}`,
    ],
    ['a header of MAX_FIELDS', `store_id,status,timestamp_utc${',x'.repeat(MAX_FIELDS - 3)}\n`, null],
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

describe('readPollsFile reads every file as readFeed with fast-csv for every record does', () => {
  const HEADER = 'store_id,status,timestamp_utc';
  const OK = '1,active,2023-03-03 18:00:01 UTC';
  it.each([
    ['a plain file', `${HEADER}\n1,active,2023-03-03 18:00:01.252551 UTC\n2,inactive,2023-03-03 18:00:02 UTC\n`],
    [
      'a BOM, CRLF and no final newline',
      `\uFEFF${HEADER}\r\n1,active,2023-03-03 18:00:01 UTC\r\n2,ACTIVE,2023-03-03 18:00:02 UTC`,
    ],
    [
      'quoted values across lines',
      `${HEADER}\n"1","act\nive",x\n"2",active,"2023-03-03 18:00:01 UTC"\n3,active,2023-03-03 18:00:01 UTC\n`,
    ],
    ['lone CRs', `${HEADER}\r1,active,2023-03-03 18:00:01 UTC\r\r2,active\n`],
    ['blank and white lines', `${HEADER}\n\n  \n,\n1,active,2023-03-03 18:00:01 UTC\n \t`],
    ['columns in another order, spaced', ' timestamp_utc , store_id,status\n2023-03-03 18:00:01 UTC , 7 , inactive\n'],
    ['a malformed quote', `${HEADER}\n${OK}\n"2"x,active,2023-03-03 18:00:01 UTC\n${OK}\n`],
    ['a quote never closed', `${HEADER}\n${OK}\n"2,active,2023-03-03 18:00:01 UTC\n${OK}\n`],
    ['a NUL', `${HEADER}\n${OK}\n2,active,2023-03-03 18:00:01 UTC\0\n${OK}\n`],
    ['too many values', `${HEADER}\n${OK}\n${'1,'.repeat(MAX_FIELDS)}1\n${OK}\n`],
    ['an over-long line', `${HEADER}\n${OK}\n${'1'.repeat(MAX_RECORD_CHARS + 1)}\n${OK}\n`],
    [
      'polls in the future',
      `${HEADER}\n1,active,2023-03-05 01:00:00 UTC\n1,active,2023-03-05 01:00:01 UTC\n1,active,2203-03-05 01:00:01 UTC\n`,
    ],
    ['a header without status', 'store_id,state,timestamp_utc\n1,active,2023-03-03 18:00:01 UTC\n'],
    ['an empty file', ''],
  ])('%s', async (_, text) => {
    const path = fileOf(text);
    const expected = await referenceOf(path, 2);
    const tiny = text.length < 1000 ? 3 : 997; // (a line not ended yet is read again with each chunk)
    expect(await fastOf(path, 2)).toEqual(expected);
    expect(await fastOf(path, 1, tiny)).toEqual(expected);
    expect(await referenceOf(path, 1, tiny)).toEqual(expected);
  });

  it('numbers rejected rows by physical line, after quoted values across lines', async () => {
    const text = `store_id,status,timestamp_utc\n"a\nb",active,2023-03-03 18:00:01 UTC\n"c",inactive,"2023-03-03\r\n18:00:01 UTC"\nd,maybe,2023-03-03 18:00:01 UTC\n`;
    const outcome = await fastOf(fileOf(text), 10);
    expect(outcome).toEqual(await referenceOf(fileOf(text), 10));
    expect((outcome as { summary: unknown }).summary).toMatchObject({
      read: 3,
      rejected: 3,
      errors: [
        { line: 2, reason: 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -' },
        { line: 4, reason: 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC' },
        { line: 6, reason: 'status must be active or inactive' },
      ],
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
      const expected = await referenceOf(path, batchSize);
      const context = { file: i, text, batchSize, chunkBytes };
      expect({ ...context, outcome: await fastOf(path, batchSize) }).toEqual({ ...context, outcome: expected });
      expect({ ...context, outcome: await fastOf(path, batchSize, chunkBytes) }).toEqual({ ...context, outcome: expected });
      expect({ ...context, outcome: await referenceOf(path, batchSize, chunkBytes) }).toEqual({ ...context, outcome: expected });
    }
  });

  it('agrees on 30 random files with records longer than MAX_RECORD_CHARS', async () => {
    const rand = mulberry32(64);
    for (let i = 0; i < 30; i++) {
      const text = randomCsv(rand, 60, true);
      const path = fileOf(text);
      const chunkBytes = 1000 + Math.floor(rand() * 100_000);
      const expected = await referenceOf(path, 7);
      const context = { file: i, chunkBytes };
      expect({ ...context, outcome: await fastOf(path, 7) }).toEqual({ ...context, outcome: expected });
      expect({ ...context, outcome: await fastOf(path, 7, chunkBytes) }).toEqual({ ...context, outcome: expected });
    }
  });
});

describe('readCsvLines frames records as fast-csv does', () => {
  it('gives fast-csv records for 150 larger random files, line for line, rejected lines taken out', async () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 150; i++) {
      const text = randomCsv(rand, 300, i % 10 === 0);
      const chunkBytes = 1 + Math.floor(rand() * (i % 10 === 0 ? 100_000 : 200));
      const { framed, reference, records, fastCsv } = await checkFraming(text, chunkBytes);
      const context = { file: i, chunkBytes };
      expect({ ...context, framed }).toEqual({ ...context, framed: reference });
      expect({ ...context, records }).toEqual({ ...context, records: fastCsv });
    }
  });
});
