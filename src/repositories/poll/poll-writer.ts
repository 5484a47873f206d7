import { ChangeCounts } from '../../common/types/feed-rows.types';
import { PollBatch } from './poll-batch.types';

/**
 * Writes accepted polls in batches. A poll is keyed by (store_id, timestamp_us): a new key is
 * inserted, the same status again is unchanged, another status replaces (later row wins).
 */
export interface PollWriter {
  /** Rows per batch the writer wants. */
  readonly batchSize: number;
  /** What the batches written so far did (live: an interrupted import reports it). */
  readonly counts: Readonly<ChangeCounts>;
  /**
   * Rows sent whose write was not confirmed (a connection lost during a load: the server may have
   * committed them, or not); not in `counts`. Always 0 where a commit cannot be lost (SQLite).
   */
  readonly unconfirmed: number;
  /** Batches whose write is confirmed, every one before them too (their rows are in `counts`). */
  readonly batchesWritten: number;
  write(batch: PollBatch): Promise<void>;
  /** Waits for every batch and returns the counts; releases what the writer held. */
  finish(): Promise<ChangeCounts>;
  /** Releases what the writer held after a failure. */
  abort(): Promise<void>;
}
