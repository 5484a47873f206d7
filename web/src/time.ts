// Instants, local days and durations for the page, with no dependence on the browser's own time
// zone: instants are read from the API's ISO strings, a store's wall clock comes from its zone
// name (the engine's own zone offsets, compiled into the page by web/tsconfig.json) and from the
// offsets in the `local` strings.

import { localToUtcMs, zoneOffsetMs } from '../../src/engine/utils/zone-offset.util.js';

/** An instant as the API gives it: UTC, and the store's wall clock with its offset. */
export interface Instant {
  utc: string;
  local: string;
}

export interface Interval {
  start: Instant;
  end: Instant;
}

/** A span of time in milliseconds since the epoch, [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** One local calendar day of the store, as real time: 23, 24 or 25 hours long. */
export interface DayRow {
  /** The local date, YYYY-MM-DD. */
  date: string;
  /** Local midnight, and the next one (ms since the epoch). */
  start: number;
  end: number;
  /** The part of the day inside the week shown. */
  within: Span;
  /** Where the clocks change in the day, with the offsets before and after (minutes east of UTC). */
  change: { at: number; from: number; to: number } | null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parseIso(iso: string): RegExpExecArray {
  const m = ISO.exec(iso);
  if (m === null) throw new Error(`not an ISO instant: ${iso}`);
  return m;
}

/** Minutes east of UTC of an ISO offset (`Z`, `+05:30`, `-07:00`). */
export function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** Milliseconds since the epoch of an ISO instant (`…Z` or with an offset; digits past the millisecond kept as a fraction). */
export function instantMs(iso: string): number {
  const m = parseIso(iso);
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + (m[7] ? Number(`0.${m[7]}`) * 1000 : 0);
  return wall - offsetMinutes(m[8]) * 60_000;
}

/** The parts of a local ISO string as written: its date, wall time (HH:MM) and offset. */
export function localParts(local: string): { date: string; time: string; offset: string; weekday: string } {
  const m = parseIso(local);
  const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
  return {
    date: `${m[1]}-${m[2]}-${m[3]}`,
    time: `${m[4]}:${m[5]}`,
    offset: m[8] === 'Z' ? '+00:00' : m[8],
    weekday: WEEKDAYS[day],
  };
}

/** A date as a row label: "Sun 12 Mar 2023". */
export function formatDate(date: string): string {
  const [y, mo, d] = date.split('-').map(Number);
  return `${WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]} ${d} ${MONTHS[mo - 1]} ${y}`;
}

/** A local instant as read by its owner: "Sun 12 Mar 2023 03:15 (UTC−06:00)". */
export function formatLocal(local: string): string {
  const p = localParts(local);
  return `${formatDate(p.date)} ${p.time} (UTC${p.offset.replace('-', '−')})`;
}

/** A UTC instant, to the minute: "2023-03-13 14:58 UTC". */
export function formatUtc(utc: string): string {
  const m = parseIso(utc);
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]} UTC`;
}

/** A length of time for people: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The zone's offset from UTC at an instant, in minutes east (the engine's offsets: Intl with the store's zone, never the browser's). */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  return Math.round(zoneOffsetMs(zone, ms) / 60_000);
}

/**
 * The instant of a wall-clock time in the zone, as the service's engine reads one (it is the
 * engine's rule): a time skipped by a jump forward is moved later by the jump; a time that
 * occurs twice is the earlier.
 */
export function wallInstant(zone: string, date: string, hour = 0, minute = 0): number {
  const [y, mo, d] = date.split('-').map(Number);
  return localToUtcMs(zone, y, mo, d, hour * 3600 + minute * 60);
}

/** The next calendar date. */
export function nextDate(date: string): string {
  const [y, mo, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10);
}

/** Where the offset changes in [start, end) (to the second), or null. */
function offsetChange(zone: string, start: number, end: number): DayRow['change'] {
  const from = zoneOffsetMinutes(zone, start);
  const to = zoneOffsetMinutes(zone, end - 1);
  if (from === to) return null;
  // In whole seconds (offsets change on one): lo has the old offset, hi the new.
  let lo = Math.floor(start / 1000);
  let hi = Math.floor((end - 1) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMinutes(zone, mid * 1000) === from) lo = mid;
    else hi = mid;
  }
  return { at: hi * 1000, from, to };
}

/**
 * The store's local days that the week [start, end) touches, each as real time from its local
 * midnight to the next: the dates come from the week's `local` strings, the midnights from the
 * store's zone, so a day of a DST change is 23 or 25 hours long.
 */
export function dayRows(week: Interval, zone: string): DayRow[] {
  const start = instantMs(week.start.utc);
  const end = instantMs(week.end.utc);
  const first = localParts(week.start.local).date;
  const rows: DayRow[] = [];
  for (let date = first, dayStart = wallInstant(zone, date); dayStart < end;) {
    const next = nextDate(date);
    const dayEnd = wallInstant(zone, next);
    rows.push({
      date,
      start: dayStart,
      end: dayEnd,
      within: { start: Math.max(start, dayStart), end: Math.min(end, dayEnd) },
      change: offsetChange(zone, dayStart, dayEnd),
    });
    date = next;
    dayStart = dayEnd;
  }
  return rows;
}

/** The parts of intervals inside a span, clipped to it; empty parts dropped. */
export function clipTo<T extends Interval>(intervals: T[], span: Span): { item: T; start: number; end: number }[] {
  return intervals.flatMap((item) => {
    const start = Math.max(instantMs(item.start.utc), span.start);
    const end = Math.min(instantMs(item.end.utc), span.end);
    return end > start ? [{ item, start, end }] : [];
  });
}
