import { storeNumber } from '../../common/utils/store-number.util';

/**
 * Past this many ids the dictionary starts afresh at the next batch, so that a file of ever new
 * stores keeps a bounded dictionary beside the batch being read.
 */
const MAX_KNOWN = 1 << 17;

/**
 * The store ids one parser has met in a file, each kept once (a detached copy, see storeNumber)
 * for all the file's batches: a feed in time order names every store in every batch, so a
 * dictionary of each batch's own would be made and dropped again at every batch.
 *
 * Each batch still numbers its stores 0, 1, 2… in the order first seen (see PollRows):
 * `batchNumberOf` gives a store's number in the batch being filled (adding the store to it when
 * new there), which `startBatch` begins.
 */
export class KnownStores {
  private readonly numbers = new Map<string, number>();
  private readonly ids: string[] = [];
  /** Per known store: the batch it was last numbered in, and its number there. */
  private lastBatch = new Int32Array(1024);
  private batchNumbers = new Int32Array(1024);
  private batch = 0;

  /** The id `has` found last, and its number: the row's next step, batchNumberOf, looks it up again. */
  private lastFound = '';
  private lastNumber = -1;

  /** Whether `storeId` is one of the ids met (so one of an accepted row). */
  readonly has = (storeId: string): boolean => {
    const n = this.numbers.get(storeId);
    if (n === undefined) return false;
    this.lastFound = storeId;
    this.lastNumber = n;
    return true;
  };

  /** Begins a batch's numbering (the one before is filled). */
  startBatch(): void {
    this.batch++;
    if (this.ids.length > MAX_KNOWN) {
      this.numbers.clear();
      this.ids.length = 0;
      this.lastFound = '';
    }
  }

  /** The number of `storeId` in the batch being filled, whose ids in order are `batchIds` (a new one is added). */
  batchNumberOf(storeId: string, batchIds: string[]): number {
    // (the same string as a rule: a comparison of references, not a hash of the id)
    const known =
      this.lastFound !== '' && storeId === this.lastFound ? this.lastNumber : storeNumber(this.numbers, this.ids, storeId);
    if (known === this.lastBatch.length) this.grow();
    // A number reused after a fresh start holds an earlier batch's, never this batch's.
    if (this.lastBatch[known] !== this.batch) {
      this.lastBatch[known] = this.batch;
      this.batchNumbers[known] = batchIds.length;
      batchIds.push(this.ids[known]);
    }
    return this.batchNumbers[known];
  }

  private grow() {
    const size = this.lastBatch.length * 2;
    const grown = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.lastBatch = grown(this.lastBatch);
    this.batchNumbers = grown(this.batchNumbers);
  }
}
