/** How a writer wants its batches: TSV bytes for LOAD DATA (MySQL), or columns (SQLite). */
export type PollBatchForm = 'tsv' | 'columns';

/**
 * A batch of polls prepared for a writer: deduplicated (later row wins) and in (store_id,
 * timestamp_us) order. Preparing is pure CPU work, done where the batch was parsed (the parser
 * worker) so that the thread that writes only writes. Its arrays are plain typed arrays, which
 * cross to another thread without a copy (see `transferablesOf`).
 */
export interface PollBatch {
  /** Distinct keys in the batch. */
  count: number;
  /** TSV form: the rows as `store_id \t timestamp_us \t 0|1 \n` lines, ASCII; empty in columns form. */
  tsv: Uint8Array;
  /** Columns form: each store of the batch once, in order, and how many of the rows are its. */
  stores: string[];
  storeRows: Uint32Array;
  /** Columns form: the rows' times and statuses (1 active), in key order. */
  timestampUs: Float64Array;
  active: Uint8Array;
  /** The latest poll time of each store in the batch, in store order. */
  latest: Array<[storeId: string, timestampUs: number]>;
  /** Rows dropped as repeats of an earlier row of the batch, with the same / another status. */
  repeatedSame: number;
  repeatedChanged: number;
}

/** The buffers of a batch that postMessage can move to another thread instead of copying them. */
export function transferablesOf(batch: PollBatch): ArrayBuffer[] {
  return [batch.tsv, batch.storeRows, batch.timestampUs, batch.active]
    .map((a) => a.buffer as ArrayBuffer)
    .filter((b) => b.byteLength > 0);
}
