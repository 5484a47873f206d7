import { pollsFeedAt } from './polls-feed-at.util';

const START_MS = Date.parse('2023-03-04T15:00:00Z');
const us = (iso: string, micros = 0) => Date.parse(iso) * 1000 + micros;

describe('pollsFeedAt', () => {
  const spec = pollsFeedAt(START_MS);

  it('bounds polls at the import start plus one hour', () => {
    expect(spec.notAfterUs).toBe(us('2023-03-04T16:00:00Z'));
  });

  it.each([
    ['2023-03-04 15:00:00 UTC', { storeId: 's', timestampUs: us('2023-03-04T15:00:00Z'), active: true }],
    ['2023-03-04 16:00:00 UTC', { storeId: 's', timestampUs: us('2023-03-04T16:00:00Z'), active: true }],
    ['2023-03-04 16:00:00.000001 UTC', 'timestamp_utc is in the future (more than 1 h after the import started)'],
    ['2099-12-31 23:59:59 UTC', 'timestamp_utc is in the future (more than 1 h after the import started)'],
    ['2023-03-04T17:30:00+02:00', { storeId: 's', timestampUs: us('2023-03-04T15:30:00Z'), active: true }],
    ['2023-02-30 15:00:00 UTC', 'timestamp_utc has no such date: 2023-02-30'],
  ])('%s → %j', (timestamp, verdict) => {
    expect(spec.parse(['s', 'active', timestamp])).toEqual(verdict);
  });

  it('keeps the other rules of the polls feed', () => {
    expect(spec.parse(['', 'active', '2023-03-04 15:00:00 UTC'])).toBe('store_id is empty');
    expect(spec.columns.map((c) => c.name)).toEqual(['store_id', 'status', 'timestamp_utc']);
  });
});
