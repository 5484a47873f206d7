/** The pure interpolation engine (SPEC §2): no Nest, no TypeORM, no I/O. */
export * from './engine.types';
export { isValidTimeZone, localToUtcMs, zoneOffsetMs, zoneOffsets, ZoneOffsets } from './zone-offset.util';
export { mergeIntervals, openIntervals, weekdayOfEpochDay } from './open-intervals.util';
export { statusAt, statusSegments } from './status-timeline.util';
export type { StatusSegment } from './status-timeline.util';
export { computeStoreFigures, zeroFigures } from './store-figures.util';
export { formatDuration, formatFigures } from './report-format.util';
