import { StoreFigures, US_PER_HOUR, US_PER_MINUTE } from './engine.types';
import { formatDuration } from './format-duration.util';

/**
 * The report's six figure columns (SPEC §2), in the order of REPORT_HEADER. A type, not an
 * interface, so that Object.values sees strings.
 */
export type FigureColumns = {
  uptime_last_hour: string;
  uptime_last_day: string;
  uptime_last_week: string;
  downtime_last_hour: string;
  downtime_last_day: string;
  downtime_last_week: string;
};

/**
 * The six figures as the report prints them, keyed by column name in the header's order: hour
 * figures in minutes, day and week in hours, two decimals rounded half away from zero. The CSV
 * line and the store view both print through this, so they agree to the digit.
 */
export function figureColumns(f: StoreFigures): FigureColumns {
  return {
    uptime_last_hour: formatDuration(f.uptimeLastHour, US_PER_MINUTE),
    uptime_last_day: formatDuration(f.uptimeLastDay, US_PER_HOUR),
    uptime_last_week: formatDuration(f.uptimeLastWeek, US_PER_HOUR),
    downtime_last_hour: formatDuration(f.downtimeLastHour, US_PER_MINUTE),
    downtime_last_day: formatDuration(f.downtimeLastDay, US_PER_HOUR),
    downtime_last_week: formatDuration(f.downtimeLastWeek, US_PER_HOUR),
  };
}
