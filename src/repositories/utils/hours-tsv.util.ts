import type { HoursRowInput } from '../../common/types/feed-rows.types';

/**
 * Business-hours rows as `LOAD DATA`'s text: `store_id`, `day_of_week`, `start_sec`, `end_sec`
 * separated by tabs, a line each. Store ids are [A-Za-z0-9_-] (checkStoreId), so nothing needs escaping.
 */
export function hoursTsv(rows: readonly HoursRowInput[]): Buffer {
  let text = '';
  for (const r of rows) text += `${r.storeId}\t${r.dayOfWeek}\t${r.startSec}\t${r.endSec}\n`;
  return Buffer.from(text, 'latin1');
}
