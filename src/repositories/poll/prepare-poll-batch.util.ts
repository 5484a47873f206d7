import { PollBatch } from './poll-batch.types';
import { PollRows } from './poll-rows';

/**
 * Deduplicates and orders a batch by key (so that inserts walk the primary key in order) in linear
 * time: only the batch's distinct store ids are sorted, as strings; the rows are bucketed by store
 * (keeping file order), and each store's rows sorted by time only if they are not in order already
 * (the feed comes in time order). A key repeated in the batch keeps its later row. The batch comes
 * out as columns, with the latest time of each store (writePollTsv makes LOAD DATA's text of it).
 */
export function preparePollBatch(input: PollRows): PollBatch {
  const { storeIds, length: n, store, timestampUs, active } = input;
  const stores = storeIds.map((_, i) => i).sort((a, b) => (storeIds[a] < storeIds[b] ? -1 : 1)); // ids are distinct
  const rank = new Int32Array(stores.length);
  stores.forEach((s, r) => (rank[s] = r));
  // Bucket the rows by store rank (a counting sort: stable, so repeats stay in file order).
  const next = new Int32Array(stores.length + 1);
  for (let i = 0; i < n; i++) next[rank[store[i]] + 1]++;
  for (let r = 0; r < stores.length; r++) next[r + 1] += next[r];
  const byKey = new Int32Array(n);
  const fill = next.slice(0, stores.length);
  for (let i = 0; i < n; i++) byKey[fill[rank[store[i]]]++] = i;

  const kept = new Int32Array(n);
  const storeRows = new Uint32Array(stores.length);
  const latestUs = new Float64Array(stores.length);
  let count = 0;
  let repeatedSame = 0;
  let repeatedChanged = 0;
  for (let r = 0; r < stores.length; r++) {
    const from = next[r];
    const to = next[r + 1];
    for (let k = from + 1; k < to; k++) {
      if (timestampUs[byKey[k - 1]] > timestampUs[byKey[k]]) {
        const run = Array.from(byKey.subarray(from, to)).sort((a, b) => timestampUs[a] - timestampUs[b] || a - b);
        byKey.set(run, from);
        break;
      }
    }
    const first = count;
    for (let k = from; k < to; k++) {
      const i = byKey[k];
      if (count > first && timestampUs[kept[count - 1]] === timestampUs[i]) {
        if (active[kept[count - 1]] === active[i]) repeatedSame++;
        else repeatedChanged++;
        kept[count - 1] = i; // the later row wins
      } else {
        kept[count++] = i;
      }
    }
    storeRows[r] = count - first;
    latestUs[r] = timestampUs[kept[count - 1]];
  }
  const ids = stores.map((s) => storeIds[s]);
  const batchTimes = new Float64Array(count);
  const batchActive = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    batchTimes[k] = timestampUs[kept[k]];
    batchActive[k] = active[kept[k]];
  }
  return {
    count,
    storeIds: ids.join('\n'),
    storeRows,
    latestUs,
    timestampUs: batchTimes,
    active: batchActive,
    repeatedSame,
    repeatedChanged,
  };
}
