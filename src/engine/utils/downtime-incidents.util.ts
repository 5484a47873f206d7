/**
 * Downtime incidents (SPEC §2 "One store, live"): when, and how often, a store was down.
 */
import { eachOverlap } from './each-overlap.util';
import { Interval } from './engine.types';
import { StatusSegment } from './status-timeline.util';

/**
 * The maximal intervals that are both open and inactive, in time order: the intersection of the
 * store's open intervals (`openIntervals`) with its inactive segments (`statusSegments`) over
 * the same range. Closed time ends an incident, so two stretches of downtime separated only by
 * a closing are two incidents; their total is the range's downtime exactly (the overlaps are
 * those `computeStoreFigures` adds up).
 *
 * @param open sorted, disjoint intervals, as openIntervals gives them
 * @param status contiguous segments in time order, as statusSegments gives them
 */
export function downtimeIncidents(open: readonly Interval[], status: readonly StatusSegment[]): Interval[] {
  const incidents: Interval[] = [];
  eachOverlap(open, status, (s, e, active) => {
    if (active) return;
    const last = incidents[incidents.length - 1];
    // Merged open intervals never touch, and segments alternate, so pieces touch only if a
    // caller passed unmerged lists: join them rather than count one incident twice.
    if (last !== undefined && last[1] === s) incidents[incidents.length - 1] = [last[0], e];
    else incidents.push([s, e]);
  });
  return incidents;
}
