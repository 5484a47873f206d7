import { PollRow } from '../../common/types/feed-rows.types';
import { PollBatch, PollBatchForm } from './poll-batch.types';

/**
 * Deduplicates and orders a batch by key (so that inserts walk the primary key in order) in
 * linear time: rows are grouped by store in a hash map, only the store ids are sorted as
 * strings, and each store's rows by their numeric time (usually already in order).
 */
export function preparePollBatch(input: readonly PollRow[], form: PollBatchForm): PollBatch {
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
