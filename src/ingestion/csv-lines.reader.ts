import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * The longest record read, in characters (UTF-16 units: bytes, for ASCII text), the line breaks
 * inside a quoted value included, the one that ends the record not. Every feed's record is far
 * shorter: a longer one is an error (or a quote never closed), and a record is held whole, so
 * this bounds the memory one record can take.
 */
export const MAX_RECORD_CHARS = 64 << 10;

/** The most values a record may hold; a header wider than this is refused (FeedRecords). */
export const MAX_FIELDS = 100;

/** Where readCsvLines hands each record of a file, in file order, with the number of its first line. */
export interface CsvLineSink {
  /**
   * A record on one line holding no quote: its text without its line break. Its values are its
   * comma-separated parts, trimmed, whatever parser reads it (splitUnquotedLine).
   */
  line(text: string, lineNo: number): void;
  /** A record holding a quote (a quoted value may span lines): its text, for fast-csv to read. */
  record(text: string, lineNo: number): void;
  /** A malformed record, and why; reading goes on at the line after the record's first line. */
  malformed(lineNo: number, reason: string): void;
  /** True when the sink wants `drain()` awaited before it takes more. */
  readonly full: boolean;
  /** `charsRead`: the characters of the file read so far. */
  /** `linesRead`: the physical lines read whole so far (the header included). */
  drain(charsRead: number, linesRead: number): Promise<void>;
  /** True once the sink wants no more records: reading stops there. */
  readonly done?: boolean;
}

/** The reasons of a malformed record: short, and quoting nothing of the input. */
export const MALFORMED = {
  tooLong: `line is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters`,
  quoteTooLong: `a quoted value runs on for more than ${MAX_RECORD_CHARS.toLocaleString('en')} characters (a quote never closed?)`,
  unclosed: 'a quote is never closed',
  afterQuote: 'a closing quote is followed by other text than a comma or the end of the line',
  nul: 'line holds a NUL character',
} as const;

/** Thrown to stop reading once the sink is done. */
class Stop extends Error {}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

/** JavaScript's `\s` but the line breaks: what fast-csv skips before a quoted value and after it. */
function isBlank(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 11 ||
    c === 12 ||
    (c >= 0x80 &&
      (c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000 ||
        c === 0xfeff))
  );
}

/** scanRecord's answer when the record may go on past the text read so far. */
const NEED_MORE = null;

type Scanned =
  { end: number; next: number; breaks: number; quoted: boolean; reason?: undefined } | { reason: string } | typeof NEED_MORE;

const enum At {
  FieldStart,
  Unquoted,
  Quoted,
  AfterQuote,
}

/**
 * Finds where the record starting at `start` ends, by fast-csv's rules (`"` quotes a value when it
 * is the first character of the field but blanks, `""` inside is a quote, a line ends at LF, CRLF
 * or a lone CR), looking at no more than MAX_RECORD_CHARS + 2 characters. Returns the record's end,
 * where the next one starts, the line breaks inside it and whether it holds a quote; or why it is
 * malformed; or NEED_MORE when the text ends before the record does and more is coming.
 */
function scanRecord(text: string, start: number, more: boolean): Scanned {
  const length = text.length;
  let at: At = At.FieldStart;
  let breaks = 0;
  let quoted = false;
  for (let i = start; ; i++) {
    if (i - start > MAX_RECORD_CHARS) return { reason: at === At.Quoted ? MALFORMED.quoteTooLong : MALFORMED.tooLong };
    if (i === length) {
      if (more) return NEED_MORE;
      if (at === At.Quoted) return { reason: MALFORMED.unclosed };
      return { end: i, next: i, breaks, quoted };
    }
    const c = text.charCodeAt(i);
    if (c === 0) return { reason: MALFORMED.nul };
    if (at === At.Quoted) {
      if (c === QUOTE) {
        if (i + 1 === length && more) return NEED_MORE; // a closing quote, or the first of `""`
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else at = At.AfterQuote;
      } else if (c === LF) {
        breaks++;
      } else if (c === CR) {
        if (i + 1 === length && more) return NEED_MORE;
        if (text.charCodeAt(i + 1) === LF) i++;
        breaks++;
      }
      continue;
    }
    if (c === LF || c === CR) {
      if (c === CR && i + 1 === length && more) return NEED_MORE; // CRLF split by a read?
      const next = c === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
      return { end: i, next, breaks, quoted };
    }
    if (c === COMMA) {
      if (at !== At.Unquoted && at !== At.AfterQuote && at !== At.FieldStart) continue;
      at = At.FieldStart;
    } else if (at === At.FieldStart) {
      if (c === QUOTE) {
        at = At.Quoted;
        quoted = true;
      } else if (!isBlank(c)) {
        at = At.Unquoted;
      }
    } else if (at === At.AfterQuote) {
      if (!isBlank(c)) return { reason: MALFORMED.afterQuote };
    } else if (c === QUOTE) {
      quoted = true; // inside an unquoted value a quote is a character like any other, for fast-csv to read
    }
  }
}

/**
 * Reads a CSV file record by record, in linear time and bounded memory whatever the file holds,
 * numbering physical lines (1-based; a line ends at LF, CRLF or a lone CR, as fast-csv cuts
 * records). A line without a quote, a lone CR or a NUL, the whole of a real feed, is a record: it
 * goes to the sink as text at the cost of a search for its end and a length check. Any other
 * record is framed by fast-csv's rules (scanRecord) and handed on whole (at most
 * MAX_RECORD_CHARS), so fast-csv never sees more than one bounded record. A malformed record
 * (longer than MAX_RECORD_CHARS, a quote never closed or followed by text, a NUL) goes to
 * `sink.malformed` with the number of its first line, and reading goes on at the next line: an
 * over-long line is skipped as it streams by, never held. Returns the characters and the lines read.
 */
export async function readCsvLines(
  path: string,
  sink: CsvLineSink,
  chunkBytes = 1 << 20,
): Promise<{ chars: number; lines: number }> {
  const decoder = new StringDecoder('utf8');
  const scanner = new CsvLineScanner(sink);
  let carry = '';
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
      carry = await scanner.take(carry + decoder.write(chunk as Buffer), true);
    }
    await scanner.take(carry + decoder.end(), false);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return { chars: scanner.base, lines: scanner.lineNo - 1 };
}

/** Cuts the text of a file, read after read, into records for the sink (see readCsvLines). */
class CsvLineScanner {
  /** The number of the line the next record starts on. */
  lineNo = 1;
  /** Characters of the file before the text being read. */
  base = 0;
  /** Discarding the rest of a malformed line whose end was not read yet. */
  private skipping = false;
  /** The text being read, whether more follows it, and where the next record starts in it. */
  private text = '';
  private more = false;
  private pos = 0;
  /** The next LF, CR, quote and NUL at or after pos (-1: none), each searched again only once passed. */
  private lf = -1;
  private cr = -1;
  private quote = -1;
  private nul = -1;

  constructor(private readonly sink: CsvLineSink) {}

  /** Hands on every record that ends in `text`; returns the text of the record not ended yet. */
  async take(text: string, more: boolean): Promise<string> {
    this.text = text;
    this.more = more;
    this.pos = 0;
    this.lf = text.indexOf('\n');
    this.cr = text.indexOf('\r');
    this.quote = text.indexOf('"');
    this.nul = text.indexOf('\0');
    const sink = this.sink;
    const length = text.length;
    for (;;) {
      if (this.skipping) {
        const next = this.nextLine(this.pos);
        if (next < 0) {
          // Still in the line: drop what was read of it (but a CR that may start a CRLF).
          return this.keep(more && length > 0 && text.charCodeAt(length - 1) === CR ? length - 1 : length);
        }
        this.pos = next;
        this.lineNo++;
        this.skipping = false;
      }
      // The lines without a quote, a lone CR or a NUL: the whole of a real feed.
      for (;;) {
        const pos = this.pos;
        let lf = this.lf;
        if (lf >= 0 && lf < pos) lf = this.lf = text.indexOf('\n', pos);
        if (lf < 0) break;
        const end = lf > pos && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
        if (this.cr >= 0 && this.cr < pos) this.cr = text.indexOf('\r', pos);
        const { cr, quote, nul } = this;
        if ((quote < 0 || quote > lf) && (cr < 0 || cr >= end) && (nul < 0 || nul > lf)) {
          if (end - pos <= MAX_RECORD_CHARS) sink.line(text.slice(pos, end), this.lineNo);
          else sink.malformed(this.lineNo, MALFORMED.tooLong);
          this.lineNo++;
          this.pos = lf + 1;
        } else if (!this.step()) {
          return this.keep(this.pos);
        }
        if (sink.full) await sink.drain(this.base + this.pos, this.lineNo - 1);
        if (sink.done) throw new Stop();
        if (this.skipping) break;
      }
      if (this.skipping) continue;
      // No LF after pos: a line not ended yet waits for the next read, unless it is over-long
      // already or holds lone CRs; at the end of the file, the last line.
      if (this.cr >= 0 && this.cr < this.pos) this.cr = text.indexOf('\r', this.pos);
      if (this.pos === length || (more && length - this.pos <= MAX_RECORD_CHARS && this.cr < 0)) return this.keep(this.pos);
      while (this.pos < length && !this.skipping) {
        if (!this.step()) return this.keep(this.pos);
        if (sink.full) await sink.drain(this.base + this.pos, this.lineNo - 1);
        if (sink.done) throw new Stop();
      }
      if (!this.skipping) return this.keep(this.pos);
    }
  }

  /** The text from `from` on, kept for the next read. */
  private keep(from: number): string {
    this.base += from;
    return this.text.slice(from);
  }

  /** The start of the line after the one at `from`; -1 when its end is not read yet. */
  private nextLine(from: number): number {
    const text = this.text;
    if (this.lf >= 0 && this.lf < from) this.lf = text.indexOf('\n', from);
    if (this.cr >= 0 && this.cr < from) this.cr = text.indexOf('\r', from);
    const { lf, cr } = this;
    const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (end < 0) return -1;
    if (end === cr) {
      if (end + 1 === text.length && this.more) return -1; // CRLF split by a read
      return text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    }
    return end + 1;
  }

  /**
   * Frames the record at pos with scanRecord and hands it on, or says it is malformed and moves
   * to the next line (or starts skipping the line). False when the record is not ended yet.
   */
  private step(): boolean {
    const { text, pos } = this;
    const scanned = scanRecord(text, pos, this.more);
    if (scanned === NEED_MORE) return false;
    if (scanned.reason !== undefined) {
      this.sink.malformed(this.lineNo, scanned.reason);
      const next = this.nextLine(pos);
      if (next < 0) {
        this.skipping = true;
      } else {
        this.pos = next;
        this.lineNo++;
      }
    } else {
      const record = text.slice(pos, scanned.end);
      if (scanned.quoted) this.sink.record(record, this.lineNo);
      else this.sink.line(record, this.lineNo);
      this.lineNo += scanned.breaks + 1;
      this.pos = scanned.next;
    }
    if (this.quote >= 0 && this.quote < this.pos) this.quote = text.indexOf('"', this.pos);
    if (this.nul >= 0 && this.nul < this.pos) this.nul = text.indexOf('\0', this.pos);
    return true;
  }
}
