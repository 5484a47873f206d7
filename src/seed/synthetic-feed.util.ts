/**
 * A deterministic generator of realistic synthetic feeds (the three CSV files of SPEC §1), for
 * the `seed` command and the benchmark.
 *
 * Everything is a pure function of (seed, store index, absolute time): no Math.random, no clock.
 * Rows are STREAMED as CSV text chunks from generator functions, so that 18 million polls never
 * sit in memory (only the polls of one hour of all stores do, to sort them by time).
 *
 * Because each poll, outage and status flip is hashed from the store and an absolute slot of
 * time (never drawn from a sequence that starts at the window's start), two data sets with the
 * same seed, stores and end hold byte-identical rows wherever their windows overlap: the set of
 * `days: 56, skipLastDays: 7` is exactly the 7 weeks of history that precede the set of
 * `days: 7`. The benchmark relies on this to compare 8 weeks of history with 1 week.
 *
 * Defaults (see DEFAULT_FEED_OPTIONS): 4,500 stores over 11 days with one poll every ~36 min
 * (±30 % jitter) give ≈ 1.85 million polls, the real feed's size; ~35,000 business-hours rows
 * and ~4,200 timezone rows. `intervalMinutes: 60` gives strictly "about hourly" polls instead.
 */

import { mulberry32 } from '../common/utils/mulberry32.util';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

// Bound once: a global lookup per call is slow where the global object is contextified (jest's vm).
const imul = Math.imul;
const floor = Math.floor;
const ceil = Math.ceil;

/** murmur3's finaliser: a bijective avalanche of 32 bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of up to four integers (each taken modulo 2^32). */
export function hash4(a: number, b: number, c = 0, d = 0): number {
  let h = fmix(a ^ 0x9e3779b9);
  h = fmix(h ^ imul(b | 0, 0xcc9e2d51));
  h = fmix(h ^ imul(c | 0, 0x1b873593));
  h = fmix(h ^ imul(d | 0, 0xe6546b64));
  return h;
}

/** hash4 as a float in [0, 1). */
function unit(a: number, b: number, c = 0, d = 0): number {
  return hash4(a, b, c, d) / 4294967296;
}

/** FNV-1a of the seed's text: any string or number is a seed. */
export function seedToInt(seed: string | number): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Tags that keep the hash streams of different decisions apart.
const T_PROFILE = 1;
const T_ID = 2;
const T_SLOT = 3;
const T_MISS = 4;
const T_OUTAGE = 5;
const T_FLIP = 6;
const T_DUP = 7;
const T_HOURS = 8;
const T_ZONE = 9;
const T_FRACTION = 10;

// ---------------------------------------------------------------------------------------------
// Options

export interface SyntheticFeedOptions {
  /** Any string or number; the same seed gives the same bytes. */
  seed: string | number;
  /** Number of distinct store ids. */
  stores: number;
  /** Length of the polls window in days, ending at `end`. */
  days: number;
  /** The end of the polls window (exclusive), as an ISO instant. */
  end: string;
  /** Leave out the last `skipLastDays` days of the window (to build older history). */
  skipLastDays: number;
  /** Mean time between two polls of a store, in minutes (each gap jittered by ±30 %). */
  intervalMinutes: number;
}

/** 4,500 stores × 11 days × one poll per ~36 min ≈ 1.85 M polls: the real feed's size. */
export const DEFAULT_FEED_OPTIONS: SyntheticFeedOptions = {
  seed: 1,
  stores: 4500,
  days: 11,
  // A Tuesday, two days after the US spring-forward (2023-03-12): the last week holds a DST change.
  end: '2023-03-14T18:00:00Z',
  skipLastDays: 0,
  intervalMinutes: 36,
};

export function resolveFeedOptions(partial: Partial<SyntheticFeedOptions> = {}): SyntheticFeedOptions {
  const options = { ...DEFAULT_FEED_OPTIONS };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  const check = (ok: boolean, why: string) => {
    if (!ok) throw new Error(`seed: ${why}`);
  };
  check(Number.isInteger(options.stores) && options.stores >= 0 && options.stores <= 10_000_000, '--stores must be an integer from 0 to 10,000,000');
  check(Number.isFinite(options.days) && options.days > 0 && options.days <= 3660, '--days must be a number above 0 (at most 3660)');
  check(Number.isFinite(options.skipLastDays) && options.skipLastDays >= 0 && options.skipLastDays < options.days, 'skipLastDays must be from 0 to below days');
  check(Number.isFinite(options.intervalMinutes) && options.intervalMinutes >= 1 && options.intervalMinutes <= 24 * 60, 'intervalMinutes must be from 1 to 1440');
  check(!Number.isNaN(Date.parse(options.end)), `--end must be an ISO instant (got "${options.end}")`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Stores

export type PollProfile =
  /** Polls through the whole window. */
  | 'normal'
  /** Mostly inactive: a store that is down for days, with rare active polls. */
  | 'down'
  /** The feed stops some days before the end. */
  | 'stops'
  /** The feed starts some days before the end (a new store). */
  | 'starts'
  /** Exactly one poll, within the last 6 days. */
  | 'single'
  /** No poll at all: the store is known only from its hours or zone. */
  | 'none';

export type HoursProfile = 'none' | 'always' | 'normal' | 'overnight' | 'split' | 'overlapping' | 'mixed';

export interface StoreProfile {
  index: number;
  id: string;
  polls: PollProfile;
  hours: HoursProfile;
  zone: string | null;
  /** µs: the offset of the store's poll grid. */
  phaseUs: number;
  /** µs: polls at or after this are not emitted (feed stopped); Infinity when it never stops. */
  stopUs: number;
  /** µs: polls before this are not emitted (new store); -Infinity for an old store. */
  startUs: number;
  missRate: number;
  /** Chance per hour that an outage starts. */
  outageRate: number;
  /** Chance per poll that the status is flipped for that poll alone. */
  flakiness: number;
}

/** Weighted zones: mostly US (DST and not), a few abroad. Every name is a valid IANA zone. */
export const ZONES: ReadonlyArray<readonly [zone: string, weight: number]> = [
  ['America/Chicago', 30],
  ['America/New_York', 28],
  ['America/Los_Angeles', 16],
  ['America/Denver', 7],
  ['America/Phoenix', 3], // no DST
  ['America/Detroit', 2],
  ['America/Indiana/Indianapolis', 2],
  ['America/Boise', 1],
  ['America/Anchorage', 1],
  ['Pacific/Honolulu', 1], // no DST
  ['America/Puerto_Rico', 1], // no DST
  ['America/Kentucky/Louisville', 1],
  ['Europe/London', 1],
  ['Asia/Kolkata', 1], // +05:30
  ['Australia/Sydney', 1], // southern-hemisphere DST
  ['Pacific/Chatham', 0.5], // +12:45 / +13:45
  ['America/Sao_Paulo', 0.5],
];
const ZONE_TOTAL = ZONES.reduce((s, [, w]) => s + w, 0);

const US_PER_SECOND = 1_000_000;
const US_PER_MINUTE = 60 * US_PER_SECOND;
const US_PER_HOUR = 3600 * US_PER_SECOND;
const US_PER_DAY = 24 * US_PER_HOUR;

/** A store id: ~85 % 19-digit integers (all above 2^53), ~15 % UUID-shaped hex. */
function storeId(seed: number, index: number, attempt: number): string {
  const h = (k: number) => hash4(seed, index, T_ID + 16 * attempt, k);
  if (h(0) % 100 < 15) {
    const hex = [h(1), h(2), h(3), h(4)].map((x) => x.toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  // First digit 1–9, then 18 digits: always 19 digits, so at least 10^18 > 2^53.
  const first = 1 + (h(5) % 9);
  const six = (k: number) => String(h(k) % 1_000_000).padStart(6, '0');
  return `${first}${six(6)}${six(7)}${six(8)}`;
}

function pickZone(u: number): string {
  let x = u * ZONE_TOTAL;
  for (const [zone, weight] of ZONES) {
    if (x < weight) return zone;
    x -= weight;
  }
  return ZONES[0][0];
}

/**
 * The stores of a data set. Store i's profile depends only on (seed, i), so a larger data set
 * holds the stores of a smaller one with the same seed, and every window of a seed agrees.
 */
export function synthesizeStores(options: SyntheticFeedOptions): StoreProfile[] {
  const seed = seedToInt(options.seed);
  const endUs = Date.parse(options.end) * 1000;
  const intervalUs = options.intervalMinutes * US_PER_MINUTE;
  const seen = new Set<string>();
  const stores: StoreProfile[] = [];
  for (let i = 0; i < options.stores; i++) {
    let attempt = 0;
    let id = storeId(seed, i, attempt);
    while (seen.has(id)) id = storeId(seed, i, ++attempt);
    seen.add(id);

    const r = mulberry32(hash4(seed, i, T_PROFILE));
    const p = r();
    const polls: PollProfile =
      p < 0.01 ? 'none' : p < 0.02 ? 'single' : p < 0.05 ? 'stops' : p < 0.07 ? 'starts' : p < 0.08 ? 'down' : 'normal';
    const h = r();
    const hours: HoursProfile =
      h < 0.07 ? 'none' : h < 0.12 ? 'always' : h < 0.2 ? 'overnight' : h < 0.5 ? 'split' : h < 0.54 ? 'overlapping' : h < 0.6 ? 'mixed' : 'normal';
    let zone: string | null = r() < 0.08 ? null : pickZone(r());
    // A store with no poll and no hours must still be named somewhere: give it a zone.
    if (zone === null && polls === 'none' && hours === 'none') zone = pickZone(r());

    const reliability = r();
    stores.push({
      index: i,
      id,
      polls,
      hours,
      zone,
      phaseUs: floor(r() * intervalUs),
      stopUs: polls === 'stops' ? endUs - floor((0.5 + 5.5 * r()) * US_PER_DAY) : Number.POSITIVE_INFINITY,
      startUs: polls === 'starts' ? endUs - floor((1 + 5 * r()) * US_PER_DAY) : Number.NEGATIVE_INFINITY,
      missRate: 0.06 * r(),
      // 15 % never fail; the others start an outage every ~40 to ~400 hours.
      outageRate: reliability < 0.15 ? 0 : 0.0025 + 0.022 * r(),
      flakiness: r() < 0.5 ? 0 : 0.04 * r(),
    });
  }
  return stores;
}

// ---------------------------------------------------------------------------------------------
// Polls

/** Outages last 1 to 6 hours; an outage starts within its hour. */
const MAX_OUTAGE_HOURS = 6;

/** Whether the store is inside an outage at `tUs`. */
function inOutage(seed: number, store: StoreProfile, tUs: number): boolean {
  if (store.outageRate === 0) return false;
  const hour = floor(tUs / US_PER_HOUR);
  for (let h = hour - MAX_OUTAGE_HOURS; h <= hour; h++) {
    if (unit(seed, store.index, T_OUTAGE, h) >= store.outageRate) continue;
    const u = hash4(seed, store.index, T_OUTAGE + 32, h);
    const startUs = h * US_PER_HOUR + floor(((u & 0xffff) / 65536) * US_PER_HOUR);
    const lengthUs = (1 + ((u >>> 16) / 65536) * (MAX_OUTAGE_HOURS - 1)) * US_PER_HOUR;
    if (tUs >= startUs && tUs < startUs + lengthUs) return true;
  }
  return false;
}

/** The status of the store's poll in slot k, taken at `tUs`. */
function statusAt(seed: number, store: StoreProfile, k: number, tUs: number): boolean {
  let active = !inOutage(seed, store, tUs);
  if (store.polls === 'down') active = unit(seed, store.index, T_FLIP, k) < 0.05; // rarely up
  else if (store.flakiness > 0 && unit(seed, store.index, T_FLIP, k) < store.flakiness) active = !active;
  return active;
}

const dayStrings = new Map<number, string>();
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** The real feed's form: `2023-03-04 15:03:57.680822 UTC` (whole seconds without a fraction). */
export function formatFeedTimestamp(us: number): string {
  const seconds = floor(us / US_PER_SECOND);
  const fraction = us - seconds * US_PER_SECOND;
  const day = floor(seconds / 86_400);
  let rest = seconds - day * 86_400;
  let date = dayStrings.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    dayStrings.set(day, date);
  }
  const h = floor(rest / 3600);
  rest -= h * 3600;
  const m = floor(rest / 60);
  const s = rest - m * 60;
  const time = `${PAD2[h]}:${PAD2[m]}:${PAD2[s]}`;
  return fraction === 0 ? `${date} ${time} UTC` : `${date} ${time}.${String(fraction).padStart(6, '0')} UTC`;
}

export interface PollCsvStats {
  /** Data rows written (duplicates included). */
  rows: number;
  /** Rows that repeat the row before them exactly (the real feed has a few). */
  duplicates: number;
  active: number;
  /** Distinct stores with at least one poll in the window. */
  storesWithPolls: number;
}

export const POLLS_HEADER = 'store_id,status,timestamp_utc\n';

/**
 * The polls file as CSV text chunks (the header first, then one chunk per hour of polls, sorted
 * by time within the hour). The generator's return value is the file's statistics.
 *
 * Each store polls on its own grid: slot k is due at phase + k·interval and taken within ±30 %
 * of the interval of that; a slot is missed with the store's miss rate. Outages of 1–6 hours
 * make polls inactive; a flaky store flips single polls; a few polls repeat exactly.
 */
export function* pollCsvChunks(
  options: SyntheticFeedOptions,
  stores: readonly StoreProfile[] = synthesizeStores(options),
): Generator<string, PollCsvStats, void> {
  const seed = seedToInt(options.seed);
  const endUs = Date.parse(options.end) * 1000;
  const fromUs = endUs - Math.round(options.days * US_PER_DAY);
  const toUs = endUs - Math.round(options.skipLastDays * US_PER_DAY);
  const intervalUs = options.intervalMinutes * US_PER_MINUTE;
  const jitterUs = 0.3 * intervalUs;
  const stats: PollCsvStats = { rows: 0, duplicates: 0, active: 0, storesWithPolls: 0 };
  const polled = new Uint8Array(stores.length);

  yield POLLS_HEADER;

  // Single-poll stores: one poll at a time fixed relative to the end.
  const singles = stores
    .filter((s) => s.polls === 'single')
    .map((s) => ({ store: s, tUs: endUs - 1 - floor(unit(seed, s.index, T_SLOT, -1) * 6 * US_PER_DAY) }))
    .filter(({ tUs }) => tUs >= fromUs && tUs < toUs);
  const gridded = stores.filter((s) => s.polls !== 'none' && s.polls !== 'single');

  const times: number[] = [];
  const lines: string[] = [];
  const order: number[] = [];
  // Windows of one hour of nominal slot times, from one interval before the window to its end.
  const firstHour = floor((fromUs - intervalUs) / US_PER_HOUR);
  const lastHour = ceil((toUs + intervalUs) / US_PER_HOUR);
  for (let hour = firstHour; hour < lastHour; hour++) {
    const wStart = hour * US_PER_HOUR;
    const wEnd = wStart + US_PER_HOUR;
    times.length = 0;
    lines.length = 0;
    const emit = (store: StoreProfile, tUs: number, active: boolean, k: number) => {
      const line = `${store.id},${active ? 'active' : 'inactive'},${formatFeedTimestamp(tUs)}\n`;
      times.push(tUs);
      lines.push(line);
      stats.rows++;
      if (active) stats.active++;
      if (polled[store.index] === 0) {
        polled[store.index] = 1;
        stats.storesWithPolls++;
      }
      if (unit(seed, store.index, T_DUP, k) < 0.0005) {
        times.push(tUs);
        lines.push(line);
        stats.rows++;
        stats.duplicates++;
        if (active) stats.active++;
      }
    };
    for (const store of gridded) {
      const kMin = ceil((wStart - store.phaseUs) / intervalUs);
      for (let k = kMin; ; k++) {
        const nominal = store.phaseUs + k * intervalUs;
        if (nominal >= wEnd) break;
        if (unit(seed, store.index, T_MISS, k) < store.missRate) continue;
        let tUs = floor(nominal + (unit(seed, store.index, T_SLOT, k) * 2 - 1) * jitterUs);
        // ~0.5 % of polls land on a whole second (the feed then prints no fraction).
        if (unit(seed, store.index, T_FRACTION, k) < 0.005) tUs -= tUs % US_PER_SECOND;
        if (tUs < fromUs || tUs >= toUs || tUs >= store.stopUs || tUs < store.startUs) continue;
        emit(store, tUs, statusAt(seed, store, k, tUs), k);
      }
    }
    for (const { store, tUs } of singles) {
      if (tUs >= wStart && tUs < wEnd) emit(store, tUs, unit(seed, store.index, T_FLIP, -1) < 0.8, -1);
    }
    if (lines.length === 0) continue;
    order.length = 0;
    for (let i = 0; i < lines.length; i++) order.push(i);
    order.sort((a, b) => times[a] - times[b] || a - b);
    let chunk = '';
    for (const i of order) chunk += lines[i];
    yield chunk;
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Files with rows per store

/**
 * A per-store file (business hours, timezones) as CSV text chunks: the header, then one chunk per
 * 1,000 stores, in store order, so that a large file is written without being held in memory.
 * `rowsOf` gives one store's rows as CSV text ('' for none) and counts them for its file's stats.
 */
function* perStoreCsvChunks(
  header: string,
  stores: readonly StoreProfile[],
  rowsOf: (store: StoreProfile) => string,
): Generator<string, void, void> {
  yield header;
  let chunk = '';
  for (const store of stores) {
    chunk += rowsOf(store);
    if (store.index % 1000 === 999) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

// ---------------------------------------------------------------------------------------------
// Business hours

export interface HoursCsvStats {
  rows: number;
  storesWithHours: number;
  overnightRows: number;
  allDayRows: number;
}

export const HOURS_HEADER = 'store_id,dayOfWeek,start_time_local,end_time_local\n';

function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${PAD2[floor(m / 60)]}:${PAD2[m % 60]}:00`;
}

/** The store's weekly rows as [day, start, end] (day 0 = Monday), in the feed's text form. */
export function storeHoursRows(seed: number, store: StoreProfile): Array<[number, string, string]> {
  const r = mulberry32(hash4(seed, store.index, T_HOURS));
  const rows: Array<[number, string, string]> = [];
  if (store.hours === 'none') return rows;
  const quarter = (from: number, to: number) => from + 15 * floor(r() * ((to - from) / 15 + 1));
  // Store-wide habits, varied a little per day.
  const open = quarter(360, 660); // 06:00–11:00
  const close = quarter(1020, 1380); // 17:00–23:00
  const closedDay = r() < 0.4 ? floor(r() * 7) : -1; // many restaurants close one day a week
  for (let day = 0; day < 7; day++) {
    if (store.hours !== 'always' && (day === closedDay || r() < 0.03)) continue;
    const wiggle = r() < 0.3 ? 15 * floor(r() * 5 - 2) : 0;
    switch (store.hours) {
      case 'always':
        // The real feed writes 24 hours as 00:00:00–23:59:59; a few use equal start and end.
        rows.push(r() < 0.9 ? [day, '00:00:00', '23:59:59'] : [day, '00:00:00', '00:00:00']);
        break;
      case 'overnight': // e.g. 17:00–02:00: the end is on the next day
        rows.push([day, clock(quarter(960, 1200) + wiggle), clock(quarter(0, 240))]);
        break;
      case 'split': // lunch and dinner
        rows.push([day, clock(quarter(600, 690)), clock(quarter(810, 900))]);
        rows.push([day, clock(quarter(990, 1080)), clock(close + wiggle)]);
        break;
      case 'overlapping': // two rows that overlap (a feed merging two menus)
        rows.push([day, clock(open), clock(quarter(900, 1020))]);
        rows.push([day, clock(quarter(780, 870)), clock(close + wiggle)]);
        break;
      case 'mixed': // 24 hours on weekends, normal hours otherwise, late on Fridays
        if (day >= 5) rows.push([day, '00:00:00', '23:59:59']);
        else if (day === 4) rows.push([day, clock(open), clock(quarter(0, 120))]);
        else rows.push([day, clock(open + wiggle), clock(close)]);
        break;
      default:
        rows.push([day, clock(open + wiggle), clock(close)]);
    }
  }
  return rows;
}

/** The business-hours file as CSV text chunks (one per 1,000 stores), in store order. */
export function* businessHoursCsvChunks(
  options: SyntheticFeedOptions,
  stores: readonly StoreProfile[] = synthesizeStores(options),
): Generator<string, HoursCsvStats, void> {
  const seed = seedToInt(options.seed);
  const stats: HoursCsvStats = { rows: 0, storesWithHours: 0, overnightRows: 0, allDayRows: 0 };
  yield* perStoreCsvChunks(HOURS_HEADER, stores, (store) => {
    const rows = storeHoursRows(seed, store);
    if (rows.length > 0) stats.storesWithHours++;
    let text = '';
    for (const [day, start, end] of rows) {
      text += `${store.id},${day},${start},${end}\n`;
      stats.rows++;
      if (start === end || (start === '00:00:00' && end === '23:59:59')) stats.allDayRows++;
      else if (end < start) stats.overnightRows++;
    }
    return text;
  });
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Timezones

export interface ZonesCsvStats {
  rows: number;
  zones: number;
}

export const ZONES_HEADER = 'store_id,timezone_str\n';

/** The timezones file as CSV text chunks (one per 1,000 stores), in store order. */
export function* timezoneCsvChunks(
  options: SyntheticFeedOptions,
  stores: readonly StoreProfile[] = synthesizeStores(options),
): Generator<string, ZonesCsvStats, void> {
  const distinct = new Set<string>();
  let rows = 0;
  yield* perStoreCsvChunks(ZONES_HEADER, stores, (store) => {
    if (store.zone === null) return '';
    rows++;
    distinct.add(store.zone);
    return `${store.id},${store.zone}\n`;
  });
  return { rows, zones: distinct.size };
}

// ---------------------------------------------------------------------------------------------
// Small sets in memory (tests, examples)

export interface SyntheticFeedText {
  polls: string;
  businessHours: string;
  timezones: string;
}

function drain<R>(chunks: Generator<string, R, void>): { text: string; stats: R } {
  let text = '';
  for (;;) {
    const next = chunks.next();
    if (next.done) return { text, stats: next.value };
    text += next.value;
  }
}

/** The three files as strings: for small data sets only (tests). */
export function synthesizeFeedText(partial: Partial<SyntheticFeedOptions> = {}): SyntheticFeedText & {
  stats: { polls: PollCsvStats; businessHours: HoursCsvStats; timezones: ZonesCsvStats };
} {
  const options = resolveFeedOptions(partial);
  const stores = synthesizeStores(options);
  const polls = drain(pollCsvChunks(options, stores));
  const hours = drain(businessHoursCsvChunks(options, stores));
  const zones = drain(timezoneCsvChunks(options, stores));
  return {
    polls: polls.text,
    businessHours: hours.text,
    timezones: zones.text,
    stats: { polls: polls.stats, businessHours: hours.stats, timezones: zones.stats },
  };
}
