import { PollRow } from '../utils/feed-specs.util';

/**
 * A batch of polls prepared for a writer. Preparing is pure CPU work, done where the batch was
 * parsed (the parser worker) so that the thread that writes only writes.
 */
export interface PollBatch {
  /** Distinct keys in the batch. */
  count: number;
  /** The rows, deduplicated (later row wins), in (store_id, timestamp_us) order; empty in TSV form. */
  rows: PollRow[];
  /** The same rows as `store_id \t timestamp_us \t 0|1 \n` lines for LOAD DATA; '' in row form. */
  tsv: string;
  /** The latest poll time of each store in the batch. */
  latest: Array<[storeId: string, timestampUs: number]>;
  /** Rows dropped as repeats of an earlier row of the batch, with the same / another status. */
  repeatedSame: number;
  repeatedChanged: number;
}

/**
 * Deduplicates and orders a batch by key (so that inserts walk the primary key in order) in
 * linear time: rows are grouped by store in a hash map, only the store ids are sorted as
 * strings, and each store's rows by their numeric time (usually already in order).
 */
export function preparePollBatch(input: readonly PollRow[], form: 'rows' | 'tsv'): PollBatch {
  const groups = new Map<string, PollRow[]>();
  for (const r of input) {
    let group = groups.get(r.storeId);
    if (group === undefined) groups.set(r.storeId, (group = []));
    group.push(r);
  }
  const rows: PollRow[] = [];
  const lines: string[] = [];
  const latest: Array<[string, number]> = [];
  let repeatedSame = 0;
  let repeatedChanged = 0;
  for (const storeId of [...groups.keys()].sort()) {
    const group = groups.get(storeId)!;
    for (let i = 1; i < group.length; i++) {
      if (group[i - 1].timestampUs > group[i].timestampUs) {
        group.sort((a, b) => a.timestampUs - b.timestampUs); // stable: repeats stay in file order
        break;
      }
    }
    let kept: PollRow[] = [];
    for (const r of group) {
      const last = kept[kept.length - 1];
      if (last !== undefined && last.timestampUs === r.timestampUs) {
        if (last.active === r.active) repeatedSame++;
        else repeatedChanged++;
        kept[kept.length - 1] = r; // the later row wins
      } else {
        kept.push(r);
      }
    }
    latest.push([storeId, kept[kept.length - 1].timestampUs]);
    if (form === 'rows') {
      for (const r of kept) rows.push(r);
    } else {
      for (const r of kept) lines.push(`${storeId}\t${r.timestampUs}\t${r.active ? 1 : 0}\n`);
    }
    kept = [];
  }
  const count = form === 'rows' ? rows.length : lines.length;
  return { count, rows, tsv: lines.join(''), latest, repeatedSame, repeatedChanged };
}

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
