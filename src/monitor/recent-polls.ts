import { PollBatch, storeIdsOf } from '../repositories/poll/poll-batch.types';
import { detachedCopy } from '../common/utils/detached-copy.util';

/**
 * An import's polls near its latest one: for each store of the file, every poll at or after
 * `fromUs` and its latest poll before it, in time order (the later row of a repeated key). What
 * the live monitor's evaluation would read of these stores, had the import been the only writer.
 */
export interface RecentPolls {
  /** The import's latest poll less the span kept; -Infinity for a file without a poll. */
  fromUs: number;
  storeIds: string[];
  /** Store i's polls are [offsets[i], offsets[i + 1]) of the arrays below. */
  offsets: Uint32Array;
  timestampUs: Float64Array;
  active: Uint8Array;
}

/** A store's polls kept so far, in time order: those of the lists from `first` on. */
interface Kept {
  times: number[];
  actives: number[];
  first: number;
}

/**
 * Polls kept at most (each a few dozen bytes of the import worker's bounded heap): the bench's
 * real size keeps 170,000; past this (its 10x keeps 1.7 million) the collector gives up and the
 * evaluation reads the polls, as after any import.
 */
export const MAX_KEPT = 500_000;

/**
 * Keeps, batch by batch, each store's polls within `spanUs` of the latest poll seen, and its
 * latest poll before that: a few per store whatever the file's length. A store's polls are cut
 * when a batch names it again, and all at the end. Past `maxKept` polls it drops them all and
 * keeps nothing more (`result` is null).
 */
export class RecentPollsCollector {
  private latestUs = -Infinity;
  private readonly stores = new Map<string, Kept>();
  private kept = 0;
  private abandoned = false;

  constructor(
    private readonly spanUs: number,
    private readonly maxKept = MAX_KEPT,
  ) {}

  add(batch: PollBatch): void {
    if (this.abandoned) return;
    const ids = storeIdsOf(batch);
    for (const t of batch.latestUs) if (t > this.latestUs) this.latestUs = t;
    const bound = this.latestUs - this.spanUs;
    const { timestampUs, active } = batch;
    let end = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const start = end;
      end += batch.storeRows[i];
      // The store's rows are in time order: those before the bound but the last are never kept.
      let from = end;
      while (from > start && timestampUs[from - 1] >= bound) from--;
      if (from > start) from--;
      let kept = this.stores.get(id);
      // (a copy of the id: the batch's joined ids would otherwise stay alive with it)
      if (kept === undefined) this.stores.set(detachedCopy(id), (kept = { times: [], actives: [], first: 0 }));
      this.kept -= kept.times.length - kept.first;
      const { times, actives } = kept;
      if (times.length === kept.first || timestampUs[from] > times[times.length - 1]) {
        for (let k = from; k < end; k++) {
          times.push(timestampUs[k]);
          actives.push(active[k]);
        }
      } else for (let k = from; k < end; k++) put(kept, timestampUs[k], active[k]);
      this.kept += cut(kept, bound);
    }
    if (this.kept > this.maxKept) {
      this.abandoned = true;
      this.stores.clear();
    }
  }

  /** What was kept, each store cut at the end's bound; null when it gave up (MAX_KEPT). */
  result(): RecentPolls | null {
    if (this.abandoned) return null;
    const fromUs = this.latestUs - this.spanUs;
    const storeIds = [...this.stores.keys()];
    let total = 0;
    for (const kept of this.stores.values()) total += cut(kept, fromUs);
    const offsets = new Uint32Array(storeIds.length + 1);
    const timestampUs = new Float64Array(total);
    const active = new Uint8Array(total);
    let at = 0;
    for (const [i, id] of storeIds.entries()) {
      const { times, actives, first } = this.stores.get(id)!;
      for (let k = first; k < times.length; k++, at++) {
        timestampUs[at] = times[k];
        active[at] = actives[k];
      }
      offsets[i + 1] = at;
    }
    return { fromUs, storeIds, offsets, timestampUs, active };
  }
}

/** A poll into a store's list: appended when it is the latest (a file in time order), else placed; a repeated time replaced. */
function put(kept: Kept, tsUs: number, active: number): void {
  const { times, actives } = kept;
  let i = times.length;
  while (i > kept.first && times[i - 1] > tsUs) i--;
  if (i > kept.first && times[i - 1] === tsUs) actives[i - 1] = active;
  else {
    times.splice(i, 0, tsUs);
    actives.splice(i, 0, active);
  }
}

/**
 * Drops the polls before `bound` but the latest of them; returns how many are left. Dropping
 * moves `first` on; the lists are compacted in place once most of them is dropped: neither a
 * copy per batch (a store's lists outlive a young generation, and the copies filled the old one
 * with garbage) nor a list that only grows.
 */
function cut(kept: Kept, bound: number): number {
  const { times, actives } = kept;
  let first = kept.first;
  while (first < times.length && times[first] < bound) first++;
  if (first > kept.first) kept.first = first - 1;
  const left = times.length - kept.first;
  if (kept.first >= 16 && kept.first >= left) {
    for (let k = 0; k < left; k++) {
      times[k] = times[kept.first + k];
      actives[k] = actives[kept.first + k];
    }
    times.length = left;
    actives.length = left;
    kept.first = 0;
  }
  return left;
}
