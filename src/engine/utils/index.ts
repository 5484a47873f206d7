/** The pure interpolation engine (SPEC §2): no Nest, no TypeORM, no I/O. */
export * from './engine.types';
export { isValidTimeZone, localToUtcMs, zoneOffsetMs, zoneOffsets, ZoneOffsets } from './zone-offset.util';
export { mergeIntervals, openIntervals, weekdayOfEpochDay } from './open-intervals.util';
export { statusAt, statusSegments } from './status-timeline.util';
export type { StatusSegment } from './status-timeline.util';
export { computeStoreFigures, zeroFigures } from './store-figures.util';
export { formatDuration } from './format-duration.util';
export { formatFigures } from './report-format.util';
export { figureColumns } from './figure-columns.util';
export type { FigureColumns } from './figure-columns.util';
export { downtimeIncidents } from './downtime-incidents.util';
export { formatLocalInstantUs } from './format-local-instant.util';
export { storeZone } from './store-zone.util';
export { resolveTimeZone } from './resolve-time-zone.util';
export { resolveStoredZone } from './resolve-stored-zone.util';
export type { StoredZone } from './resolve-stored-zone.util';
