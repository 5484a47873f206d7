import { PollRow } from '../../common/types/feed-rows.types';
import { KnownStores } from './known-stores';

/**
 * A batch of polls as the parser gathers them, column by column: each store id once (the batch's
 * own dictionary), then per row the store's number, the time and the status in typed arrays. A
 * batch of rows is then a few flat arrays instead of an object and a string per row, which the
 * garbage collector never has to walk however long the batch waits. The batches of one file share
 * their ids through `known`, so that an id is kept once however many batches name it.
 */
export class PollRows {
  /** The batch's store ids, in the order first seen. */
  readonly storeIds: string[] = [];
  length = 0;
  store: Int32Array;
  timestampUs: Float64Array;
  active: Uint8Array;

  constructor(
    capacity = 1024,
    private readonly known = new KnownStores(),
  ) {
    known.startBatch();
    this.store = new Int32Array(capacity);
    this.timestampUs = new Float64Array(capacity);
    this.active = new Uint8Array(capacity);
  }

  static of(rows: readonly PollRow[]): PollRows {
    const out = new PollRows(Math.max(1, rows.length));
    for (const r of rows) out.push(r);
    return out;
  }

  push({ storeId, timestampUs, active }: PollRow): void {
    const n = this.known.batchNumberOf(storeId, this.storeIds);
    if (this.length === this.store.length) this.grow();
    this.store[this.length] = n;
    this.timestampUs[this.length] = timestampUs;
    this.active[this.length] = active ? 1 : 0;
    this.length++;
  }

  private grow() {
    const size = this.store.length * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T, b: T) => (b.set(a), b);
    this.store = grown(this.store, new Int32Array(size));
    this.timestampUs = grown(this.timestampUs, new Float64Array(size));
    this.active = grown(this.active, new Uint8Array(size));
  }
}
