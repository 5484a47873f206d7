import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ParserOptions } from 'fast-csv';
// fast-csv's own synchronous parser (what its stream runs on each chunk): it returns the text it
// could not finish, which a record split across lines needs. Pinned with fast-csv's version.
import { Parser } from '@fast-csv/parse/build/src/parser';

/** Where readCsvLines hands each record of a file, in file order. */
export interface CsvLineSink {
  /**
   * A line that holds no quote and no carriage return (the whole of a real feed): its values are
   * its comma-separated parts, trimmed (splitUnquotedLine), which the sink reads as it likes.
   */
  line(text: string): void;
  /** A record fast-csv parsed: a line with a quote (maybe spanning lines) or cut by a lone CR. */
  record(values: string[]): void;
  /** True when the sink wants `drain()` awaited before it takes more. */
  readonly full: boolean;
  drain(): Promise<void>;
  /** True once the sink wants no more records: reading stops there. */
  readonly done?: boolean;
}

/** Thrown to stop reading once the sink is done. */
class Stop extends Error {}

const QUOTE = '"';
const CR = 13;

/**
 * The longest record kept open while more text comes: a polls line is ~60 bytes, so a record this
 * long is a quote never closed. fast-csv would carry it to the end of the file (memory without
 * bound, time quadratic in its length); it is refused here instead.
 */
export const MAX_OPEN_RECORD = 16 << 20;

function unfinished(rest: string): string {
  if (rest.length > MAX_OPEN_RECORD) {
    throw new Error(
      `a record runs on for more than ${MAX_OPEN_RECORD >> 20} MiB (a quote never closed?) at '${rest.slice(0, 40)}…'`,
    );
  }
  return rest;
}

/**
 * Reads a CSV file record by record, with exactly fast-csv's result (`headers: false, trim: true`,
 * the import's options) but without its cost where it adds nothing: a line without a quote or a
 * carriage return is a record of comma-separated values whatever parser reads it, so it goes to
 * the sink as text. Any other line goes through fast-csv's parser, from its start, together with
 * the lines that follow while a quoted value is open. Records come in file order, so the n-th
 * record is the n-th fast-csv gives. fast-csv's errors are thrown as fast-csv words them. The one
 * difference: a record longer than MAX_OPEN_RECORD is refused (fast-csv would hold it all).
 */
export async function readCsvLines(path: string, sink: CsvLineSink, chunkBytes = 1 << 20): Promise<void> {
  const parser = new Parser(new ParserOptions({ headers: false, trim: true }));
  const decoder = new StringDecoder('utf8');
  const emit = (rows: string[][]) => {
    for (const row of rows) sink.record(row);
  };

  /** Hands on every record that ends in `text`; returns the text after the last one. */
  const take = async (text: string, more: boolean): Promise<string> => {
    let pos = 0;
    let quote = text.indexOf(QUOTE);
    let cr = text.indexOf('\r');
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      if (cr >= 0 && cr < pos) cr = text.indexOf('\r', pos);
      if ((quote < 0 || quote > nl) && (cr < 0 || cr >= end)) {
        sink.line(text.slice(pos, end));
        pos = nl + 1;
      } else {
        let parsed;
        try {
          parsed = parser.parse(text.slice(pos, nl + 1), true);
        } catch (error) {
          // Thrown again on all the text there is, as fast-csv's stream would have: its message
          // quotes the characters that follow, which may run past this line.
          parser.parse(text.slice(pos), more);
          throw error;
        }
        if (parsed.line !== '') {
          // A quoted value runs past the line: fast-csv takes all the text there is, and what it
          // could not finish waits for the next chunk.
          const rest = parser.parse(text.slice(pos), more);
          emit(rest.rows);
          return unfinished(rest.line);
        }
        emit(parsed.rows);
        pos = nl + 1;
        if (quote >= 0 && quote < pos) quote = text.indexOf(QUOTE, pos);
      }
      if (sink.full) await sink.drain();
      if (sink.done) throw new Stop();
    }
    const rest = text.slice(pos);
    if (more) {
      // Lines ended by lone CRs never meet a '\n': let fast-csv cut them rather than hold them all.
      if (rest.length <= chunkBytes * 4) return rest;
      const parsed = parser.parse(rest, true);
      emit(parsed.rows);
      return unfinished(parsed.line);
    }
    if (rest.includes(QUOTE) || rest.includes('\r')) {
      emit(parser.parse(rest, false).rows);
    } else if (rest.trim() !== '') {
      sink.line(rest); // fast-csv gives no record for trailing white space without a newline
    }
    return '';
  };

  let carry = '';
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
      carry = await take(carry + decoder.write(chunk as Buffer), true);
    }
    await take(carry + decoder.end(), false);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return;
  }
  if (sink.full) await sink.drain();
}
