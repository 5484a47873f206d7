import { formatInstantUs } from '../../common/utils/format-instant-us.util';
import {
  computeStoreFigures,
  downtimeIncidents,
  figureColumns,
  formatDuration,
  formatLocalInstantUs,
  HoursRow,
  Interval,
  Micros,
  openIntervals,
  Poll,
  statusSegments,
  storeZone,
  US_PER_HOUR,
  US_PER_MINUTE,
  US_PER_WEEK,
} from '../../engine/utils';
import { InstantDto, IntervalDto, StoreViewDto } from '../dto/store-view.dto';

/** What the database holds of one store for an as_of (the same reads as a report batch's). */
export interface StoreViewInput {
  storeId: string;
  asOfUs: Micros;
  /** Its business-hours rows; empty = open all the time. */
  hours: readonly HoursRow[];
  /** Its zone as stored; undefined when it has none. */
  zone: string | undefined;
  /** Its polls of the week before as_of and its last one before the week, ascending, all <= as_of. */
  polls: readonly Poll[];
}

/**
 * One store, live (SPEC §2 "One store, live"): the engine's functions, run as the report runs
 * them, so the six figures are the report row's; plus the week's open intervals, status segments
 * and downtime incidents, each instant in UTC and on the store's wall clock.
 */
export function storeView({ storeId, asOfUs, hours, zone, polls }: StoreViewInput): StoreViewDto {
  const tz = storeZone(zone);
  const weekStart = asOfUs - US_PER_WEEK;
  const figures = figureColumns(computeStoreFigures({ hours, zone: tz, polls }, asOfUs));
  const open = openIntervals(hours, tz, weekStart, asOfUs);
  const segments = statusSegments(polls, weekStart, asOfUs);
  const incidents = downtimeIncidents(open, segments);

  const instant = (us: Micros): InstantDto => ({ utc: formatInstantUs(us), local: formatLocalInstantUs(us, tz) });
  const interval = ([start, end]: Interval): IntervalDto => ({ start: instant(start), end: instant(end) });
  const downUs = incidents.reduce((sum, [s, e]) => sum + (e - s), 0);
  return {
    store_id: storeId,
    as_of: formatInstantUs(asOfUs),
    timezone: tz,
    timezone_is_default: tz !== zone,
    has_business_hours: hours.length > 0,
    last_poll: polls.length === 0 ? null : formatInstantUs(polls[polls.length - 1].tsUs),
    // The report's columns as it prints them, read back as JSON numbers: '1.74' → 1.74.
    uptime_last_hour: Number(figures.uptime_last_hour),
    uptime_last_day: Number(figures.uptime_last_day),
    uptime_last_week: Number(figures.uptime_last_week),
    downtime_last_hour: Number(figures.downtime_last_hour),
    downtime_last_day: Number(figures.downtime_last_day),
    downtime_last_week: Number(figures.downtime_last_week),
    week: interval([weekStart, asOfUs]),
    open_intervals: open.map(interval),
    segments: segments.map((s) => ({ ...interval([s.start, s.end]), status: s.active ? 'active' : 'inactive' })),
    incidents: incidents.map(([s, e]) => ({
      ...interval([s, e]),
      duration_minutes: Number(formatDuration(e - s, US_PER_MINUTE)),
    })),
    incident_count: incidents.length,
    incident_total_hours: Number(formatDuration(downUs, US_PER_HOUR)),
  };
}
