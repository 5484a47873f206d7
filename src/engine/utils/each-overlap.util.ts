import { Interval, Micros } from './engine.types';
import { StatusSegment } from './status-timeline.util';

/**
 * Calls `visit` with each non-empty overlap of the open intervals and the status segments, in
 * time order, with the segment's status: a two-pointer sweep over two sorted lists of disjoint
 * intervals (the report's figures and the store view's incidents both read the store this way).
 *
 * @param open sorted, disjoint intervals, as openIntervals gives them
 * @param status contiguous segments in time order, as statusSegments gives them
 */
export function eachOverlap(
  open: readonly Interval[],
  status: readonly StatusSegment[],
  visit: (start: Micros, end: Micros, active: boolean) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < open.length && j < status.length) {
    const [openStart, openEnd] = open[i];
    const seg = status[j];
    const s = Math.max(openStart, seg.start);
    const e = Math.min(openEnd, seg.end);
    if (e > s) visit(s, e, seg.active);
    // Advance whichever ends first.
    if (openEnd <= seg.end) i++;
    else j++;
  }
}
