import { HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { storeNumber } from '../common/utils/store-number.util';
import { IANA_ZONES } from '../engine/utils/iana-zones';
import { groupRowsByStore } from './utils/group-rows-by-store.util';

/** How a row's values (all but its store id) are held: `width` integers. */
export interface RowValues<T> {
  width: number;
  write(row: T, out: Int32Array, at: number): void;
  read(storeId: string, values: Int32Array, at: number): T;
}

export const HOURS_VALUES: RowValues<HoursRowInput> = {
  width: 3,
  write(row, out, at) {
    out[at] = row.dayOfWeek;
    out[at + 1] = row.startSec;
    out[at + 2] = row.endSec;
  },
  read: (storeId, values, at) => ({ storeId, dayOfWeek: values[at], startSec: values[at + 1], endSec: values[at + 2] }),
};

const ZONE_NUMBERS = new Map(IANA_ZONES.map((zone, n) => [zone, n]));

/** A zone as its number in IANA_ZONES: every zone name a feed accepts is stored as one of them (resolveTimeZone). */
export const ZONE_VALUES: RowValues<TimezoneRow> = {
  width: 1,
  write(row, out, at) {
    const n = ZONE_NUMBERS.get(row.timezone);
    if (n === undefined) throw new Error(`not a zone of the IANA table: ${row.timezone.slice(0, 100)}`);
    out[at] = n;
  },
  read: (storeId, values, at) => ({ storeId, timezone: IANA_ZONES[values[at]] }),
};

/**
 * The rows of a business-hours or timezones file, held compactly until they are written: each
 * store id once (in the order first seen), and per row its store's number and its values as
 * integers, in typed arrays. A 10x file (367,000 rows of hours) costs a few MB, not an object and
 * a string per row, and the rows of any store can be had again for each try of a transaction.
 */
export class StoreRows<T extends { storeId: string }> {
  /** Each store once, in the order its first row came. */
  readonly storeIds: string[] = [];
  length = 0;
  private store: Int32Array;
  private values: Int32Array;
  private readonly numbers = new Map<string, number>();
  private groups: { first: Int32Array; order: Int32Array } | null = null;

  constructor(
    private readonly codec: RowValues<T>,
    capacity = 1024,
  ) {
    this.store = new Int32Array(capacity);
    this.values = new Int32Array(capacity * codec.width);
  }

  static of<T extends { storeId: string }>(codec: RowValues<T>, rows: readonly T[]): StoreRows<T> {
    const out = new StoreRows(codec, Math.max(1, rows.length));
    for (const row of rows) out.push(row);
    return out;
  }

  push(row: T): void {
    this.reserve(1);
    this.store[this.length] = this.numberOf(row.storeId);
    this.codec.write(row, this.values, this.length * this.codec.width);
    this.length++;
  }

  /** Adds the rows of another StoreRows (a batch of the same file), after these. */
  append(batch: StoreRows<T>): void {
    const ours = Int32Array.from(batch.storeIds, (id) => this.numberOf(id));
    this.reserve(batch.length);
    for (let i = 0; i < batch.length; i++) this.store[this.length + i] = ours[batch.store[i]];
    const { width } = this.codec;
    this.values.set(batch.values.subarray(0, batch.length * width), this.length * width);
    this.length += batch.length;
  }

  /** The rows of these stores as objects, each store's in file order (a store without rows adds none). */
  rowsOf(storeIds: readonly string[]): T[] {
    this.groups ??= groupRowsByStore(this.store.subarray(0, this.length), this.storeIds.length);
    const { first, order } = this.groups;
    const { width } = this.codec;
    const rows: T[] = [];
    for (const id of storeIds) {
      const n = this.numbers.get(id);
      if (n === undefined) continue;
      for (let k = first[n]; k < first[n + 1]; k++) rows.push(this.codec.read(id, this.values, order[k] * width));
    }
    return rows;
  }

  private numberOf(storeId: string): number {
    return storeNumber(this.numbers, this.storeIds, storeId);
  }

  /** Room for `more` rows; the grouping is made again when next asked for. */
  private reserve(more: number) {
    this.groups = null;
    if (this.length + more <= this.store.length) return;
    let size = Math.max(1024, this.store.length);
    while (size < this.length + more) size *= 2;
    const store = new Int32Array(size);
    store.set(this.store.subarray(0, this.length));
    const values = new Int32Array(size * this.codec.width);
    values.set(this.values.subarray(0, this.length * this.codec.width));
    this.store = store;
    this.values = values;
  }
}
