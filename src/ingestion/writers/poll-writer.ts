import { PollRow } from '../utils/feed-specs.util';

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
  write(rows: PollRow[]): Promise<void>;
  /** Waits for every batch and returns the counts; releases what the writer held. */
  finish(): Promise<PollCounts>;
  /** Releases what the writer held after a failure. */
  abort(): Promise<void>;
}

/** The latest poll time per store in a batch: what the store table's last_poll_us needs. */
export function latestPollPerStore(rows: readonly PollRow[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const r of rows) {
    const seen = latest.get(r.storeId);
    if (seen === undefined || r.timestampUs > seen) latest.set(r.storeId, r.timestampUs);
  }
  return latest;
}
