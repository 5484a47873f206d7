import { ChangeCounts } from '../common/types/feed-rows.types';

/**
 * What one feed's import did (SPEC §3), as the readers and writers build it: a plain object, so
 * that the worker threads need not load Swagger's decorators (FeedSummaryDto documents the same
 * shape for the API).
 */
export interface FeedSummary extends ChangeCounts {
  /** Data rows read (the header and blank lines are not counted). */
  read: number;
  rejected: number;
  /** The first MAX_REPORTED_ERRORS rejected rows. */
  errors: Array<{ line: number; reason: string }>;
}

export const MAX_REPORTED_ERRORS = 20;

export function emptyFeedSummary(): FeedSummary {
  return { read: 0, inserted: 0, unchanged: 0, replaced: 0, rejected: 0, errors: [] };
}
