/**
 * Downtime incidents (SPEC §2 "One store, live"): when, and how often, a store was down.
 */
import { Interval } from './engine.types';
import { StatusSegment } from './status-timeline.util';

/**
 * The maximal intervals that are both open and inactive, in time order: the intersection of the
 * store's open intervals (`openIntervals`) with its inactive segments (`statusSegments`) over
 * the same range. Closed time ends an incident, so two stretches of downtime separated only by
 * a closing are two incidents; their total is the range's downtime exactly (the same two-pointer
 * sweep as `computeStoreFigures`).
 *
 * @param open sorted, disjoint intervals, as openIntervals gives them
 * @param status contiguous segments in time order, as statusSegments gives them
 */
export function downtimeIncidents(open: readonly Interval[], status: readonly StatusSegment[]): Interval[] {
  const incidents: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < open.length && j < status.length) {
    const [openStart, openEnd] = open[i];
    const seg = status[j];
    const s = Math.max(openStart, seg.start);
    const e = Math.min(openEnd, seg.end);
    if (e > s && !seg.active) {
      const last = incidents[incidents.length - 1];
      // Merged open intervals never touch, and segments alternate, so pieces touch only if a
      // caller passed unmerged lists: join them rather than count one incident twice.
      if (last !== undefined && last[1] === s) incidents[incidents.length - 1] = [last[0], e];
      else incidents.push([s, e]);
    }
    if (openEnd <= seg.end) i++;
    else j++;
  }
  return incidents;
}
