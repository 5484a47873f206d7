/**
 * A batch of polls prepared for a writer: deduplicated (later row wins) and in (store_id,
 * timestamp_us) order. Preparing is pure CPU work, done where the batch was parsed (the parser
 * worker) so that the thread that writes only writes. Its arrays are plain typed arrays, which
 * cross to another thread without a copy (see `transferablesOf`).
 */
export interface PollBatch {
  /** Distinct keys in the batch. */
  count: number;
  /**
   * Each store of the batch once, in order, joined by newlines (ids never hold one): one string
   * instead of one per store, since a batch of a file in time order names every store of the
   * feed (45,000 at 10x), and the batch crosses two threads and waits in a queue.
   */
  storeIds: string;
  /** How many of the rows (in key order) are each store's. */
  storeRows: Uint32Array;
  /** The latest poll time of each store, in store order. */
  latestUs: Float64Array;
  /** The rows' times and statuses (1 active), in key order. */
  timestampUs: Float64Array;
  active: Uint8Array;
  /** Rows dropped as repeats of an earlier row of the batch, with the same / another status. */
  repeatedSame: number;
  repeatedChanged: number;
}

/** The batch's store ids, in order. */
export const storeIdsOf = (batch: Pick<PollBatch, 'storeIds'>): string[] =>
  batch.storeIds === '' ? [] : batch.storeIds.split('\n');

/** The buffers of a batch that postMessage can move to another thread instead of copying them. */
export function transferablesOf(batch: PollBatch): ArrayBuffer[] {
  return [batch.storeRows, batch.latestUs, batch.timestampUs, batch.active]
    .map((a) => a.buffer as ArrayBuffer)
    .filter((b) => b.byteLength > 0);
}
