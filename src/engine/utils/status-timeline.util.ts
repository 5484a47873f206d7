/**
 * The store's status over time from its polls (SPEC §2 "Status over time"): every instant
 * takes the status of the nearest poll, so the status changes at the midpoint between two
 * consecutive polls of different status.
 */
import { Micros, Poll } from './engine.types';

/** A stretch [start, end) of one status. */
export interface StatusSegment {
  readonly start: Micros;
  readonly end: Micros;
  readonly active: boolean;
}

/**
 * The status over [fromUs, toUs) as contiguous segments of alternating status, covering the
 * whole range. Before the first poll the first poll's status holds, after the last the last
 * one's. Midpoints may end in .5 µs; they are exact in a double.
 *
 * @param polls in ascending time order (not empty for a non-empty result)
 */
export function statusSegments(polls: readonly Poll[], fromUs: Micros, toUs: Micros): StatusSegment[] {
  const segments: StatusSegment[] = [];
  if (polls.length === 0 || !(toUs > fromUs)) return segments;
  let start = fromUs;
  let active = polls[0].active;
  for (let i = 1; i < polls.length; i++) {
    if (polls[i].active === active) continue; // same status: no change at this midpoint
    const change = (polls[i - 1].tsUs + polls[i].tsUs) / 2;
    if (change >= toUs) break;
    if (change > start) {
      segments.push({ start, end: change, active });
      start = change;
    }
    active = polls[i].active;
  }
  segments.push({ start, end: toUs, active });
  return segments;
}

/** The status at one instant by the nearest-poll rule (a tie at a midpoint goes to the later poll). */
export function statusAt(polls: readonly Poll[], tUs: Micros): boolean | undefined {
  if (polls.length === 0) return undefined;
  // First poll with tsUs >= tUs, by binary search.
  let lo = 0;
  let hi = polls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (polls[mid].tsUs < tUs) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return polls[0].active;
  if (lo === polls.length) return polls[polls.length - 1].active;
  const before = polls[lo - 1];
  const after = polls[lo];
  return tUs >= (before.tsUs + after.tsUs) / 2 ? after.active : before.active;
}
