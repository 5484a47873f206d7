import { PollRow } from '../../common/types/feed-rows.types';

/** How a writer wants its batches: row objects (SQLite), or TSV text for LOAD DATA (MySQL). */
export type PollBatchForm = 'rows' | 'tsv';

/**
 * A batch of polls prepared for a writer. Preparing is pure CPU work, done where the batch was
 * parsed (the parser worker) so that the thread that writes only writes.
 */
export interface PollBatch {
  /** Distinct keys in the batch. */
  count: number;
  /** The rows, deduplicated (later row wins), in (store_id, timestamp_us) order; empty in TSV form. */
  rows: PollRow[];
  /** The same rows as `store_id \t timestamp_us \t 0|1 \n` lines for LOAD DATA; '' in row form. */
  tsv: string;
  /** The latest poll time of each store in the batch. */
  latest: Array<[storeId: string, timestampUs: number]>;
  /** Rows dropped as repeats of an earlier row of the batch, with the same / another status. */
  repeatedSame: number;
  repeatedChanged: number;
}
