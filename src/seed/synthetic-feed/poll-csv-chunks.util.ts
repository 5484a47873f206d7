import { hash4 } from './hash4.util';
import { TAG } from './hash-tags';
import { formatFeedTimestamp } from './format-feed-timestamp.util';
import { SyntheticFeedOptions } from './resolve-feed-options.util';
import { seedToInt } from './seed-to-int.util';
import { StoreProfile, synthesizeStores } from './synthesize-stores.util';
import { US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND } from '../../engine/utils';

// Bound once: a global lookup per call is slow where the global object is contextified (jest's vm),
// and these run for every slot of every store.
const floor = Math.floor;
const ceil = Math.ceil;

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

/** Outages last 1 to 6 hours; an outage starts within its hour. */
const MAX_OUTAGE_HOURS = 6;

/** hash4 as a float in [0, 1): the chance a decision is compared with. */
function unit(a: number, b: number, c = 0, d = 0): number {
  return hash4(a, b, c, d) / 4294967296;
}

/** Whether the store is inside an outage at `tUs`. */
function inOutage(seed: number, store: StoreProfile, tUs: number): boolean {
  if (store.outageRate === 0) return false;
  const hour = floor(tUs / US_PER_HOUR);
  // An outage that started up to MAX_OUTAGE_HOURS ago may still last: look back that far.
  for (let h = hour - MAX_OUTAGE_HOURS; h <= hour; h++) {
    if (unit(seed, store.index, TAG.outage, h) >= store.outageRate) continue;
    const u = hash4(seed, store.index, TAG.outage + 32, h);
    const startUs = h * US_PER_HOUR + floor(((u & 0xffff) / 65536) * US_PER_HOUR);
    const lengthUs = (1 + ((u >>> 16) / 65536) * (MAX_OUTAGE_HOURS - 1)) * US_PER_HOUR;
    if (tUs >= startUs && tUs < startUs + lengthUs) return true;
  }
  return false;
}

/** The status of the store's poll in slot k, taken at `tUs`. */
function statusAt(seed: number, store: StoreProfile, k: number, tUs: number): boolean {
  let active = !inOutage(seed, store, tUs);
  if (store.polls === 'down')
    active = unit(seed, store.index, TAG.flip, k) < 0.05; // rarely up
  else if (store.flakiness > 0 && unit(seed, store.index, TAG.flip, k) < store.flakiness) active = !active;
  return active;
}

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
    .map((s) => ({ store: s, tUs: endUs - 1 - floor(unit(seed, s.index, TAG.slot, -1) * 6 * US_PER_DAY) }))
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
      if (unit(seed, store.index, TAG.dup, k) < 0.0005) {
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
        if (unit(seed, store.index, TAG.miss, k) < store.missRate) continue;
        let tUs = floor(nominal + (unit(seed, store.index, TAG.slot, k) * 2 - 1) * jitterUs);
        // ~0.5 % of polls land on a whole second (the feed then prints no fraction).
        if (unit(seed, store.index, TAG.fraction, k) < 0.005) tUs -= tUs % US_PER_SECOND;
        if (tUs < fromUs || tUs >= toUs || tUs >= store.stopUs || tUs < store.startUs) continue;
        emit(store, tUs, statusAt(seed, store, k, tUs), k);
      }
    }
    for (const { store, tUs } of singles) {
      if (tUs >= wStart && tUs < wEnd) emit(store, tUs, unit(seed, store.index, TAG.flip, -1) < 0.8, -1);
    }
    if (lines.length === 0) continue;
    order.length = 0;
    for (let i = 0; i < lines.length; i++) order.push(i);
    // Stable by time: polls of one instant keep the order they were emitted in.
    order.sort((a, b) => times[a] - times[b] || a - b);
    let chunk = '';
    for (const i of order) chunk += lines[i];
    yield chunk;
  }
  return stats;
}
