import { HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { HOURS_VALUES, RowValues, StoreRows, ZONE_VALUES } from './store-rows';

const h = (storeId: string, dayOfWeek: number, startSec: number, endSec: number): HoursRowInput => ({
  storeId,
  dayOfWeek,
  startSec,
  endSec,
});
const z = (storeId: string, timezone: string): TimezoneRow => ({ storeId, timezone });

/** Rows as the reader gathers them: in batches of `size`, each a StoreRows of its own, appended. */
function throughBatches<T extends { storeId: string }>(values: RowValues<T>, rows: T[], size: number): StoreRows<T> {
  const all = new StoreRows(values);
  for (let i = 0; i < rows.length; i += size) all.append(StoreRows.of(values, rows.slice(i, i + size)));
  return all;
}

const HOURS = [h('B', 0, 0, 86400), h('A', 6, 79200, 7200), h('B', 0, 0, 86400), h('C', 3, 1, 2), h('A', 1, 9, 17)];

describe('StoreRows', () => {
  it.each([
    ['all stores, in the order first seen', ['B', 'A', 'C'], [HOURS[0], HOURS[2], HOURS[1], HOURS[4], HOURS[3]]],
    ['some stores, in the order asked', ['C', 'A'], [HOURS[3], HOURS[1], HOURS[4]]],
    ['a store not in the rows adds none', ['X', 'C'], [HOURS[3]]],
    ['no store', [], []],
  ])('gives the rows of %s, each store in file order', (_name, ids, expected) => {
    const rows = StoreRows.of(HOURS_VALUES, HOURS);
    expect(rows.storeIds).toEqual(['B', 'A', 'C']);
    expect(rows.length).toBe(5);
    expect(rows.rowsOf(ids)).toEqual(expected);
  });

  it.each([
    ['one batch', 100],
    ['batches of 2 (a store across batches)', 2],
    ['batches of 1', 1],
  ])('gathers batches as if pushed row by row: %s', (_name, size) => {
    const rows = throughBatches(HOURS_VALUES, HOURS, size);
    expect(rows.storeIds).toEqual(['B', 'A', 'C']);
    expect(rows.rowsOf(rows.storeIds)).toEqual(StoreRows.of(HOURS_VALUES, HOURS).rowsOf(['B', 'A', 'C']));
  });

  it('grows past its capacity and groups again after more rows', () => {
    const rows = new StoreRows(HOURS_VALUES, 1);
    const many = Array.from({ length: 5000 }, (_, i) => h(`s${i % 7}`, i % 7, i, i + 1));
    many.slice(0, 10).forEach((r) => rows.push(r));
    expect(rows.rowsOf(['s3'])).toEqual([many[3]]);
    many.slice(10).forEach((r) => rows.push(r));
    expect(rows.length).toBe(5000);
    expect(rows.rowsOf(['s3'])).toEqual(many.filter((r) => r.storeId === 's3'));
  });

  it.each([
    ['canonical zones, any store id', [z('1481966498820158979', 'America/Chicago'), z('a b', 'Etc/UTC')]],
    ['the later row of a store kept after the earlier', [z('A', 'Asia/Kolkata'), z('A', 'Pacific/Chatham')]],
  ])('holds zones as numbers: %s', (_name, zones) => {
    const rows = throughBatches(ZONE_VALUES, zones, 1);
    expect(rows.rowsOf(rows.storeIds)).toEqual(zones);
  });

  it.each([['US/Central'], ['america/chicago'], ['Nowhere/Else']])('refuses a zone that is not in the table: %s', (zone) => {
    expect(() => StoreRows.of(ZONE_VALUES, [z('A', zone)])).toThrow(`not a zone of the IANA table: ${zone}`);
  });
});
