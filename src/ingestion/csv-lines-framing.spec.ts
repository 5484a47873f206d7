import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvParserStream, ParserOptions } from 'fast-csv';
import { fastCsvRecords, isBlank, physicalLines, randomCsv } from '../../test/support/random-csv';
import { mulberry32 } from '../common/utils/mulberry32.util';
import { MAX_RECORD_CHARS, readCsvLines } from './csv-lines.reader';
import { splitUnquotedLine } from './utils/split-unquoted-line.util';

/**
 * The framing of the import's reader (readCsvLines) held to fast-csv's stream, on random CSV with
 * everything a CSV file can hold: its records are the ones fast-csv reads once the rejected lines
 * are taken out, and each is numbered by its line. A file of its own, apart from
 * csv-feed.reader.spec.ts, so that the two long property tests run in parallel workers.
 */
const dir = mkdtempSync(join(tmpdir(), 'sm-framing-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const fileOf = (text: string) => {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
};

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
