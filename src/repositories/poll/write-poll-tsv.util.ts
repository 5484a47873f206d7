import { PollBatch, storeIdsOf } from './poll-batch.types';

const TAB = 9;
const NEWLINE = 10;
const MINUS = 45;
const ZERO = 48;

/** Decimal digits of an integer 0 ≤ x < 1e8. */
function intLength(x: number): number {
  if (x < 10_000) return x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : 4;
  return x < 100_000 ? 5 : x < 1_000_000 ? 6 : x < 10_000_000 ? 7 : 8;
}

/** Writes an integer 0 ≤ x < 1e8 in `width` digits (zero-padded), or in as few as it needs when width is 0. */
function writeInt(out: Uint8Array, at: number, x: number, width: number): number {
  const end = at + (width || intLength(x));
  for (let i = end - 1; i >= at; i--) {
    const q = (x / 10) | 0; // both halves fit in 32 bits: integer arithmetic, not floating point
    out[i] = ZERO + x - q * 10;
    x = q;
  }
  return end;
}

/**
 * `String(v)` as bytes, for a time in microseconds: a safe integer is printed as two halves of 8
 * digits; anything else (beyond 2^53, where String may round) through String itself.
 */
function writeNumber(out: Uint8Array, at: number, v: number): number {
  if (!Number.isSafeInteger(v)) {
    const text = String(v);
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    return at;
  }
  if (v < 0) {
    out[at++] = MINUS;
    v = -v;
  }
  if (v < 1e8) return writeInt(out, at, v, 0);
  const high = Math.floor(v / 1e8);
  return writeInt(out, writeInt(out, at, high, 0), v - high * 1e8, 8);
}

function numberLength(v: number): number {
  if (!Number.isSafeInteger(v)) return String(v).length;
  const sign = v < 0 ? 1 : 0;
  const a = Math.abs(v);
  return sign + (a < 1e8 ? intLength(a) : intLength(Math.floor(a / 1e8)) + 8);
}

/**
 * The batch as TSV lines for LOAD DATA, `store_id \t timestamp_us \t 0|1 \n` in its key order,
 * written as bytes (ids are ASCII: [A-Za-z0-9_-]) into `bytes(n)`: the writer's own buffer, reused
 * batch after batch, so that a batch waits in the pipeline as columns (13 bytes a poll) and only
 * the one being loaded is text (about 55). `ids`: the batch's store ids, when the caller has split
 * them already (storeIdsOf).
 */
export function writePollTsv(
  batch: PollBatch,
  { ids = storeIdsOf(batch), bytes = (n) => new Uint8Array(n) }: { ids?: string[]; bytes?: (n: number) => Uint8Array } = {},
): Uint8Array {
  const { storeRows, timestampUs, active } = batch;
  let size = 0;
  let k = 0;
  for (let r = 0; r < ids.length; r++) {
    for (const end = k + storeRows[r]; k < end; k++) size += ids[r].length + 1 + numberLength(timestampUs[k]) + 3;
  }
  const tsv = bytes(size);
  let at = 0;
  k = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    for (const end = k + storeRows[r]; k < end; k++) {
      for (let c = 0; c < id.length; c++) tsv[at + c] = id.charCodeAt(c);
      at += id.length;
      tsv[at++] = TAB;
      at = writeNumber(tsv, at, timestampUs[k]);
      tsv[at++] = TAB;
      tsv[at++] = ZERO + active[k];
      tsv[at++] = NEWLINE;
    }
  }
  return tsv;
}
