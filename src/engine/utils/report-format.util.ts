/** The CSV line of one store in the report (SPEC §2 "The report"). */
import { StoreFigures } from './engine.types';
import { figureColumns } from './figure-columns.util';

/**
 * `store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,
 * downtime_last_day,downtime_last_week` without a newline: hour figures in minutes, day and
 * week in hours. The store id is printed as given (ids are [A-Za-z0-9_-], none starting with -:
 * nothing to quote, nothing a spreadsheet reads as a formula).
 */
export function formatFigures(storeId: string, f: StoreFigures): string {
  return [storeId, ...Object.values(figureColumns(f))].join(',');
}
