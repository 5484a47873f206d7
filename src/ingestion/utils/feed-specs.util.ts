import { resolveTimeZone } from '../../engine/utils/resolve-time-zone.util';
import { parseTimeOfDay } from './parse-time-of-day.util';
import { FeedName, HoursRowInput, PollRow, TimezoneRow } from '../../common/types/feed-rows.types';
import { checkStoreId } from '../../common/utils/check-store-id.util';
import { parseTimestampUs } from '../../common/utils/parse-timestamp-us.util';

/**
 * What a feed's file must hold: its columns (found by header name, some with aliases) and how a
 * row of trimmed values becomes a typed row, or a reason for refusing it.
 */
export interface FeedSpec<T> {
  name: FeedName;
  columns: ReadonlyArray<{ name: string; aliases?: readonly string[] }>;
  /** `values` are in the order of `columns`. */
  parse(values: readonly string[]): T | string;
}

export const POLLS_FEED: FeedSpec<PollRow> = {
  name: 'polls',
  columns: [{ name: 'store_id' }, { name: 'status' }, { name: 'timestamp_utc' }],
  parse([storeId, status, timestamp]) {
    const badId = checkStoreId(storeId);
    if (badId) return badId;
    const s = status.toLowerCase();
    if (s !== 'active' && s !== 'inactive') return 'status must be active or inactive';
    const timestampUs = parseTimestampUs(timestamp);
    if (typeof timestampUs === 'string') return timestampUs;
    return { storeId, timestampUs, active: s === 'active' };
  },
};

export const BUSINESS_HOURS_FEED: FeedSpec<HoursRowInput> = {
  name: 'business_hours',
  columns: [
    { name: 'store_id' },
    { name: 'dayOfWeek', aliases: ['day'] },
    { name: 'start_time_local' },
    { name: 'end_time_local' },
  ],
  parse([storeId, day, start, end]) {
    const badId = checkStoreId(storeId);
    if (badId) return badId;
    if (!/^[0-6]$/.test(day)) return 'dayOfWeek must be 0 (Monday) to 6 (Sunday)';
    const startSec = parseTimeOfDay(start, 'start');
    if (typeof startSec === 'string') return startSec;
    const endSec = parseTimeOfDay(end, 'end');
    if (typeof endSec === 'string') return endSec;
    return { storeId, dayOfWeek: +day, startSec, endSec };
  },
};

export const TIMEZONES_FEED: FeedSpec<TimezoneRow> = {
  name: 'timezones',
  columns: [{ name: 'store_id' }, { name: 'timezone_str' }],
  parse([storeId, timezone]) {
    const badId = checkStoreId(storeId);
    if (badId) return badId;
    // As IANA spells it (case-sensitive); a link is stored as its canonical zone.
    const resolved = resolveTimeZone(timezone);
    if ('error' in resolved) return resolved.error;
    return { storeId, timezone: resolved.zone };
  },
};

/**
 * Maps a header row to the positions of the spec's columns. Names are matched exactly after
 * trimming spaces and a UTF-8 BOM. Returns the positions, or an error naming what is missing.
 */
export function mapHeader(spec: FeedSpec<unknown>, header: readonly string[]): number[] | string {
  const names = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const positions: number[] = [];
  const missing: string[] = [];
  const twice: string[] = [];
  for (const col of spec.columns) {
    const accepted = [col.name, ...(col.aliases ?? [])];
    const at = names.findIndex((n) => accepted.includes(n));
    if (at < 0) missing.push(accepted.join('" or "'));
    // Two columns for one value: which one is meant cannot be guessed.
    else if (names.filter((n) => accepted.includes(n)).length > 1) twice.push(accepted.join('" or "'));
    positions.push(at);
  }
  const found = names.join(', ').slice(0, 100) || 'nothing';
  if (missing.length > 0) {
    return `${spec.name} file header lacks required column(s) "${missing.join('", "')}" (found: ${found})`;
  }
  if (twice.length > 0)
    return `${spec.name} file header names column(s) "${twice.join('", "')}" more than once (found: ${found})`;
  return positions;
}

export const FEED_SPECS: Record<FeedName, FeedSpec<unknown>> = {
  polls: POLLS_FEED,
  business_hours: BUSINESS_HOURS_FEED,
  timezones: TIMEZONES_FEED,
};
