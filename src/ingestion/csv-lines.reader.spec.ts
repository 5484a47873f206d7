import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MALFORMED, MAX_RECORD_CHARS, readCsvLines } from './csv-lines.reader';

const dir = mkdtempSync(join(tmpdir(), 'sm-lines-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const fileOf = (text: string) => {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
};

/** What readCsvLines hands on: ['line' | 'record', line number, text] or ['malformed', line number, reason]. */
type Item = [kind: 'line' | 'record' | 'malformed', lineNo: number, text: string];

async function itemsOf(path: string, chunkBytes: number): Promise<{ items: Item[]; chars: number }> {
  const items: Item[] = [];
  const { chars } = await readCsvLines(
    path,
    {
      line: (text, n) => items.push(['line', n, text]),
      record: (text, n) => items.push(['record', n, text]),
      malformed: (n, reason) => items.push(['malformed', n, reason]),
      full: false,
      drain: async () => undefined,
    },
    chunkBytes,
  );
  return { items, chars };
}

const CHUNKS = [1, 2, 3, 5, 64, 1 << 20];
const long = (n: number) => 'x'.repeat(n);

describe('readCsvLines', () => {
  it.each<[string, string, Item[]]>([
    [
      'plain lines, LF',
      'a,b\nc,d\n',
      [
        ['line', 1, 'a,b'],
        ['line', 2, 'c,d'],
      ],
    ],
    [
      'CRLF, no final line break',
      'a,b\r\nc,d',
      [
        ['line', 1, 'a,b'],
        ['line', 2, 'c,d'],
      ],
    ],
    [
      'a lone CR ends a line, as fast-csv cuts records',
      'a\rb\r\nc\n',
      [
        ['line', 1, 'a'],
        ['line', 2, 'b'],
        ['line', 3, 'c'],
      ],
    ],
    [
      'blank lines are lines',
      '\n\n \nx',
      [
        ['line', 1, ''],
        ['line', 2, ''],
        ['line', 3, ' '],
        ['line', 4, 'x'],
      ],
    ],
    [
      'a quoted value across lines: the next record is numbered by physical line',
      'h\n"a\nb\r\nc",d\ne\n',
      [
        ['line', 1, 'h'],
        ['record', 2, '"a\nb\r\nc",d'],
        ['line', 5, 'e'],
      ],
    ],
    [
      'a quote inside an unquoted value is a character',
      'a"b,c\nd\n',
      [
        ['record', 1, 'a"b,c'],
        ['line', 2, 'd'],
      ],
    ],
    [
      'blanks before and after a quoted value',
      ' \t"a" ,"b"\u00a0\nc',
      [
        ['record', 1, ' \t"a" ,"b"\u00a0'],
        ['line', 2, 'c'],
      ],
    ],
    [
      'an escaped quote',
      '"a""\nb",c\nd',
      [
        ['record', 1, '"a""\nb",c'],
        ['line', 3, 'd'],
      ],
    ],
    [
      'text after a closing quote: that line rejected, the next one read',
      'h\n"a"x,b\n"c\nd"e\nf\n',
      [
        ['line', 1, 'h'],
        ['malformed', 2, MALFORMED.afterQuote],
        ['malformed', 3, MALFORMED.afterQuote],
        ['record', 4, 'd"e'],
        ['line', 5, 'f'],
      ],
    ],
    [
      'a quote never closed, at the end of the file: its line rejected, the next lines read',
      'h\n"a,b\nc,d\ne',
      [
        ['line', 1, 'h'],
        ['malformed', 2, MALFORMED.unclosed],
        ['line', 3, 'c,d'],
        ['line', 4, 'e'],
      ],
    ],
    [
      'a NUL, in a plain line and in a quoted value',
      'h\na\0b\n"c\0",d\ne\n',
      [
        ['line', 1, 'h'],
        ['malformed', 2, MALFORMED.nul],
        ['malformed', 3, MALFORMED.nul],
        ['line', 4, 'e'],
      ],
    ],
    ['an empty file', '', []],
  ])('%s', async (_, text, expected) => {
    const path = fileOf(text);
    for (const chunk of CHUNKS) {
      expect({ chunk, ...(await itemsOf(path, chunk)) }).toEqual({ chunk, items: expected, chars: text.length });
    }
  });

  it('takes a record of exactly MAX_RECORD_CHARS, and rejects one character more, reading on at the next line', async () => {
    const quoted = `"${long(MAX_RECORD_CHARS - 4)}\n",`; // its line break counts
    expect(quoted).toHaveLength(MAX_RECORD_CHARS);
    const text = `${long(MAX_RECORD_CHARS)}\n${long(MAX_RECORD_CHARS + 1)}\n${quoted}\n${quoted}y\na\n`;
    const path = fileOf(text);
    for (const chunk of [1000, 1 << 16, 1 << 20]) {
      expect((await itemsOf(path, chunk)).items).toEqual([
        ['line', 1, long(MAX_RECORD_CHARS)],
        ['malformed', 2, MALFORMED.tooLong],
        ['record', 3, quoted],
        ['malformed', 5, MALFORMED.tooLong],
        ['malformed', 6, MALFORMED.unclosed], // `",y`: the line after the over-long record's first line
        ['line', 7, 'a'],
      ]);
    }
  });

  it('rejects a quote left open for more than MAX_RECORD_CHARS and reads every line after it', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `s${i},active,2023-03-03 18:00:01 UTC`);
    const text = `h\n"s,active,2023-03-03 18:00:01 UTC\n${rows.join('\n')}\n`;
    const { items } = await itemsOf(fileOf(text), 1 << 20);
    expect(items.slice(0, 3)).toEqual([
      ['line', 1, 'h'],
      ['malformed', 2, MALFORMED.quoteTooLong],
      ['line', 3, rows[0]],
    ]);
    expect(items).toHaveLength(3002);
    expect(items[3001]).toEqual(['line', 3002, rows[2999]]);
  });

  it('skips an over-long line as it streams by, its CRLF split across reads', async () => {
    const text = `h\r\n${long(5 * MAX_RECORD_CHARS)}\r\nnext\r\n${long(3 * MAX_RECORD_CHARS)}"\r\nlast`;
    for (const chunk of [1 << 16, 70_001, 1 << 20]) {
      expect((await itemsOf(fileOf(text), chunk)).items).toEqual([
        ['line', 1, 'h'],
        ['malformed', 2, MALFORMED.tooLong],
        ['line', 3, 'next'],
        ['malformed', 4, MALFORMED.tooLong],
        ['line', 5, 'last'],
      ]);
    }
  });
});
