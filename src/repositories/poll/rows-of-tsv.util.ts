import { PollRow } from '../../common/types/feed-rows.types';

/** The rows of a batch in TSV form (the MySQL writer's fallback when LOAD DATA is refused). */
export function rowsOfTsv(tsv: string): PollRow[] {
  const rows: PollRow[] = [];
  for (const line of tsv.split('\n')) {
    if (line === '') continue;
    const [storeId, ts, active] = line.split('\t');
    rows.push({ storeId, timestampUs: Number(ts), active: active === '1' });
  }
  return rows;
}
