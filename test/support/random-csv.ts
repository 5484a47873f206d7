import { parseString } from 'fast-csv';
import { MAX_FIELDS, MAX_RECORD_CHARS } from '../../src/ingestion/csv-lines.reader';

/**
 * Random CSV files of polls for the property tests of the CSV readers
 * (src/ingestion/csv-feed.reader.spec.ts, csv-lines-framing.spec.ts), and fast-csv's reading of a
 * text, the reference they are held to.
 */

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
export function randomCsv(rand: () => number, maxRows: number, long = false): string {
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

/** fast-csv's stream's records of a text, with the import's options, or its error. */
export const fastCsvRecords = (text: string) =>
  new Promise<string[][] | string>((resolve) => {
    const records: string[][] = [];
    parseString(text, { headers: false, trim: true })
      .on('data', (r: string[]) => records.push(r))
      .on('error', (e) => resolve(e.message))
      .on('end', () => resolve(records));
  });

/** The physical lines of a text (each with its line break), cut independently of readCsvLines. */
export const physicalLines = (text: string) => text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];

export const isBlank = (values: string[]) => values.length === 0 || (values.length === 1 && values[0] === '');
