import { PollRow } from '../utils/feed-specs.util';

/**
 * A batch of polls prepared for a writer. Preparing is pure CPU work, done where the batch was
 * parsed (the parser worker) so that the thread that writes only writes.
 */
export interface PollBatch {
  /** Rows, deduplicated (later row wins) and sorted by (store_id, timestamp_us). */
  rows: PollRow[];
  /** The same rows as `store_id \t timestamp_us \t 0|1 \n` lines, for LOAD DATA. */
  tsv: string;
  /** The latest poll time of each store in the batch. */
  latest: Array<[storeId: string, timestampUs: number]>;
  /** Rows dropped as repeats of an earlier row of the batch, with the same / another status. */
  repeatedSame: number;
  repeatedChanged: number;
}

const byKey = (a: PollRow, b: PollRow) =>
  a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : a.timestampUs - b.timestampUs;

export function preparePollBatch(input: PollRow[], withTsv: boolean): PollBatch {
  // A stable sort keeps a repeated key's rows in file order, so the last of them is the later row.
  const sorted = input.slice().sort(byKey);
  const rows: PollRow[] = [];
  let repeatedSame = 0;
  let repeatedChanged = 0;
  for (const r of sorted) {
    const last = rows[rows.length - 1];
    if (last !== undefined && last.storeId === r.storeId && last.timestampUs === r.timestampUs) {
      if (last.active === r.active) repeatedSame++;
      else repeatedChanged++;
      rows[rows.length - 1] = r;
    } else {
      rows.push(r);
    }
  }
  const latest: Array<[string, number]> = [];
  for (const r of rows) {
    // Sorted by store then time: a store's last row is its latest.
    const last = latest[latest.length - 1];
    if (last !== undefined && last[0] === r.storeId) last[1] = r.timestampUs;
    else latest.push([r.storeId, r.timestampUs]);
  }
  let tsv = '';
  if (withTsv) {
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      lines[i] = `${r.storeId}\t${r.timestampUs}\t${r.active ? 1 : 0}\n`;
    }
    tsv = lines.join('');
  }
  return { rows, tsv, latest, repeatedSame, repeatedChanged };
}
