import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { PollRow } from '../common/types/feed-rows.types';
import { PollRows } from '../repositories/poll/poll-rows';
import { mulberry32 } from '../common/utils/mulberry32.util';
import { checkFeedHeader, readFeed, readPollsFile } from './csv-feed.reader';
import { randomCsv } from '../../test/support/random-csv';
import { MALFORMED, MAX_FIELDS, MAX_RECORD_CHARS } from './csv-lines.reader';
import { POLLS_FEED } from './utils/feed-specs.util';
import { pollsFeedAt } from './utils/polls-feed-at.util';

/**
 * The fast polls reader (readPollsFile: plain lines split in place, fast-csv only for records with
 * a quote) must read every file exactly as readFeed with every record through fast-csv does.
 * Random CSV, with everything a CSV file can hold (malformed records too: over-long lines, NULs,
 * quotes never closed, too many values, polls in the future), goes through both; every accepted
 * row, every rejected line and reason, the summary and any error must be the same, whatever the
 * read chunks. The framing underneath (readCsvLines) has a property test of its own
 * (csv-lines-framing.spec.ts).
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
