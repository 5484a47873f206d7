import { PollRow } from '../../common/types/feed-rows.types';
import { FeedSpec, POLLS_FEED } from './feed-specs.util';

/** How far past the import's start a poll may be: clocks differ, but not by more. */
const TOLERANCE_US = 3_600_000_000;

/**
 * The polls feed as an import that started at `importStartMs` reads it: POLLS_FEED, and a poll
 * later than the start plus one hour is rejected as in the future (a typo's year 2203 would
 * otherwise become every report's default as_of). `notAfterUs` is that bound, for a fast path.
 */
export function pollsFeedAt(importStartMs: number): FeedSpec<PollRow> & { notAfterUs: number } {
  const notAfterUs = importStartMs * 1000 + TOLERANCE_US;
  return {
    ...POLLS_FEED,
    notAfterUs,
    parse(values) {
      const row = POLLS_FEED.parse(values);
      if (typeof row === 'string' || row.timestampUs <= notAfterUs) return row;
      return 'timestamp_utc is in the future (more than 1 h after the import started)';
    },
  };
}
