import { mulberry32 } from '../../common/utils/mulberry32.util';
import { hash4 } from './hash4.util';
import { TAG } from './hash-tags';
import { SyntheticFeedOptions } from './resolve-feed-options.util';
import { seedToInt } from './seed-to-int.util';
import { US_PER_DAY, US_PER_MINUTE } from '../../engine/utils';

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

/** A store id: ~85 % 19-digit integers (all above 2^53), ~15 % UUID-shaped hex. */
function storeId(seed: number, index: number, attempt: number): string {
  const h = (k: number) => hash4(seed, index, TAG.id + 16 * attempt, k);
  if (h(0) % 100 < 15) {
    const hex = [h(1), h(2), h(3), h(4)].map((x) => x.toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  // First digit 1–9, then 18 digits: always 19 digits, so at least 10^18 > 2^53.
  const first = 1 + (h(5) % 9);
  const six = (k: number) => String(h(k) % 1_000_000).padStart(6, '0');
  return `${first}${six(6)}${six(7)}${six(8)}`;
}

/** The zone at `u` ∈ [0, 1) of the weighted list. */
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

    // The order of the r() draws below is part of the output: add new draws at the end only.
    const r = mulberry32(hash4(seed, i, TAG.profile));
    const p = r();
    const polls: PollProfile =
      p < 0.01 ? 'none' : p < 0.02 ? 'single' : p < 0.05 ? 'stops' : p < 0.07 ? 'starts' : p < 0.08 ? 'down' : 'normal';
    const h = r();
    const hours: HoursProfile =
      h < 0.07
        ? 'none'
        : h < 0.12
          ? 'always'
          : h < 0.2
            ? 'overnight'
            : h < 0.5
              ? 'split'
              : h < 0.54
                ? 'overlapping'
                : h < 0.6
                  ? 'mixed'
                  : 'normal';
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
      phaseUs: Math.floor(r() * intervalUs),
      stopUs: polls === 'stops' ? endUs - Math.floor((0.5 + 5.5 * r()) * US_PER_DAY) : Number.POSITIVE_INFINITY,
      startUs: polls === 'starts' ? endUs - Math.floor((1 + 5 * r()) * US_PER_DAY) : Number.NEGATIVE_INFINITY,
      missRate: 0.06 * r(),
      // 15 % never fail; the others start an outage every ~40 to ~400 hours.
      outageRate: reliability < 0.15 ? 0 : 0.0025 + 0.022 * r(),
      flakiness: r() < 0.5 ? 0 : 0.04 * r(),
    });
  }
  return stores;
}
