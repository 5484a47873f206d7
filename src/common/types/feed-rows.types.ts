/**
 * The rows of the three feeds once parsed and validated: what ingestion produces and the
 * repositories store. Kept here so that both sides import them without depending on each other.
 */
export type FeedName = 'polls' | 'business_hours' | 'timezones';
export const FEED_NAMES: readonly FeedName[] = ['polls', 'business_hours', 'timezones'];

export interface PollRow {
  storeId: string;
  /** Microseconds since the Unix epoch (UTC). */
  timestampUs: number;
  active: boolean;
}

export interface HoursRowInput {
  storeId: string;
  /** 0 = Monday … 6 = Sunday */
  dayOfWeek: number;
  /** Seconds since local midnight, 0 … 86399. */
  startSec: number;
  /** Seconds since local midnight, 0 … 86400 (`24:00`). */
  endSec: number;
}

export interface TimezoneRow {
  storeId: string;
  timezone: string;
}

/** How an import changed what was stored: every accepted row is one of the three (SPEC §3). */
export interface ChangeCounts {
  inserted: number;
  unchanged: number;
  replaced: number;
}
