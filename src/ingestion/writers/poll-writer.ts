import { PollBatch } from './poll-batch.util';

export interface PollCounts {
  inserted: number;
  unchanged: number;
  replaced: number;
}

/**
 * Writes accepted polls in batches. A poll is keyed by (store_id, timestamp_us): a new key is
 * inserted, the same status again is unchanged, another status replaces (later row wins).
 */
export interface PollWriter {
  /** Rows per batch the writer wants. */
  readonly batchSize: number;
  /** The form its batches come in: rows, or TSV for LOAD DATA. */
  readonly form: 'rows' | 'tsv';
  write(batch: PollBatch): Promise<void>;
  /** Waits for every batch and returns the counts; releases what the writer held. */
  finish(): Promise<PollCounts>;
  /** Releases what the writer held after a failure. */
  abort(): Promise<void>;
}
