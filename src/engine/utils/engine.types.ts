/**
 * Types of the pure interpolation engine (SPEC §2). No Nest, no TypeORM here.
 *
 * Instants are microseconds since the Unix epoch held in a JS number: exact up to
 * 2^53 µs (year 2255), and midpoints (x.5 µs) stay exact while the sum of two instants is below
 * 2^53 (year 2112). Polls and as_of are limited to the years 1970 to 2099 (parseTimestampUs), so
 * neither limit, nor the packed week read (PollRepository.weekOf), is reached.
 */
export type Micros = number;

export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;
export const US_PER_WEEK = 7 * US_PER_DAY;

/** The zone of a store that has none (SPEC §2). */
export const DEFAULT_ZONE = 'America/Chicago';

/** One business-hours row as stored: day 0 = Monday … 6 = Sunday, times in seconds since local midnight. */
export interface HoursRow {
  dayOfWeek: number;
  /** 0 … 86399 */
  startSec: number;
  /** 0 … 86400 (86400 = `24:00`) */
  endSec: number;
}

/** A half-open interval [start, end) of instants. */
export type Interval = readonly [start: Micros, end: Micros];

/** One poll: when, and whether the store was active. */
export interface Poll {
  tsUs: Micros;
  active: boolean;
}

/** The six figures of a report row, as exact durations in microseconds. */
export interface StoreFigures {
  uptimeLastHour: Micros;
  uptimeLastDay: Micros;
  uptimeLastWeek: Micros;
  downtimeLastHour: Micros;
  downtimeLastDay: Micros;
  downtimeLastWeek: Micros;
}

/** Everything the engine needs to compute one store's row. */
export interface StoreInput {
  /** The store's business-hours rows; empty = open all the time. */
  hours: readonly HoursRow[];
  /** IANA zone; null/undefined = DEFAULT_ZONE. */
  zone?: string | null;
  /**
   * The store's polls in ascending time order, all with tsUs <= asOfUs. The caller passes at
   * least every poll inside the week window plus the last poll before the window (if any);
   * extra older polls are allowed and change nothing.
   */
  polls: readonly Poll[];
}

export const REPORT_HEADER =
  'store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week';
