import { PollBatch, PollBatchForm } from './poll-batch.types';
import { PollRows } from './poll-rows';

const TAB = 9;
const NEWLINE = 10;
const MINUS = 45;
const ZERO = 48;
const NO_BYTES = new Uint8Array(0);

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
 * Deduplicates and orders a batch by key (so that inserts walk the primary key in order) in linear
 * time: only the batch's distinct store ids are sorted, as strings; the rows are bucketed by store
 * (keeping file order), and each store's rows sorted by time only if they are not in order already
 * (the feed comes in time order). A key repeated in the batch keeps its later row. The batch comes
 * out as TSV bytes for LOAD DATA or as columns, with the latest time of each store.
 */
export function preparePollBatch(
  input: PollRows,
  form: PollBatchForm,
  /** Where the TSV is written: `bytes` long (a buffer given back by the writer, or a new one). */
  tsvBytes: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
): PollBatch {
  const { storeIds, length: n, store, timestampUs, active } = input;
  const stores = storeIds.map((_, i) => i).sort((a, b) => (storeIds[a] < storeIds[b] ? -1 : 1)); // ids are distinct
  const rank = new Int32Array(stores.length);
  stores.forEach((s, r) => (rank[s] = r));
  // Bucket the rows by store rank (a counting sort: stable, so repeats stay in file order).
  const next = new Int32Array(stores.length + 1);
  for (let i = 0; i < n; i++) next[rank[store[i]] + 1]++;
  for (let r = 0; r < stores.length; r++) next[r + 1] += next[r];
  const byKey = new Int32Array(n);
  const fill = next.slice(0, stores.length);
  for (let i = 0; i < n; i++) byKey[fill[rank[store[i]]]++] = i;

  const kept = new Int32Array(n);
  const storeRows = new Uint32Array(stores.length);
  const latestUs = new Float64Array(stores.length);
  let count = 0;
  let repeatedSame = 0;
  let repeatedChanged = 0;
  for (let r = 0; r < stores.length; r++) {
    const from = next[r];
    const to = next[r + 1];
    for (let k = from + 1; k < to; k++) {
      if (timestampUs[byKey[k - 1]] > timestampUs[byKey[k]]) {
        const run = Array.from(byKey.subarray(from, to)).sort((a, b) => timestampUs[a] - timestampUs[b] || a - b);
        byKey.set(run, from);
        break;
      }
    }
    const first = count;
    for (let k = from; k < to; k++) {
      const i = byKey[k];
      if (count > first && timestampUs[kept[count - 1]] === timestampUs[i]) {
        if (active[kept[count - 1]] === active[i]) repeatedSame++;
        else repeatedChanged++;
        kept[count - 1] = i; // the later row wins
      } else {
        kept[count++] = i;
      }
    }
    storeRows[r] = count - first;
    latestUs[r] = timestampUs[kept[count - 1]];
  }
  const ids = stores.map((s) => storeIds[s]);
  const batch: PollBatch = {
    count,
    tsv: NO_BYTES,
    storeIds: ids.join('\n'),
    storeRows,
    latestUs,
    timestampUs: new Float64Array(0),
    active: NO_BYTES,
    repeatedSame,
    repeatedChanged,
  };
  if (form === 'columns') {
    batch.timestampUs = new Float64Array(count);
    batch.active = new Uint8Array(count);
    for (let k = 0; k < count; k++) {
      batch.timestampUs[k] = timestampUs[kept[k]];
      batch.active[k] = active[kept[k]];
    }
    return batch;
  }
  // TSV: `store_id \t timestamp_us \t 0|1 \n`, written as bytes (ids are ASCII: [A-Za-z0-9_-]).
  let size = 0;
  let k = 0;
  for (let r = 0; r < ids.length; r++) {
    for (const end = k + storeRows[r]; k < end; k++) size += ids[r].length + 1 + numberLength(timestampUs[kept[k]]) + 3;
  }
  const tsv = tsvBytes(size);
  let at = 0;
  k = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    for (const end = k + storeRows[r]; k < end; k++) {
      for (let c = 0; c < id.length; c++) tsv[at + c] = id.charCodeAt(c);
      at += id.length;
      tsv[at++] = TAB;
      at = writeNumber(tsv, at, timestampUs[kept[k]]);
      tsv[at++] = TAB;
      tsv[at++] = ZERO + active[kept[k]];
      tsv[at++] = NEWLINE;
    }
  }
  batch.tsv = tsv;
  return batch;
}
