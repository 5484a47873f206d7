import { inboxKey } from './inbox-key.util';

describe('inboxKey', () => {
  const base = inboxKey('store_status.csv', 1000, 1700000000000.5);

  it.each([
    ['another name', inboxKey('store_status2.csv', 1000, 1700000000000.5)],
    ['another size', inboxKey('store_status.csv', 1001, 1700000000000.5)],
    ['another time', inboxKey('store_status.csv', 1000, 1700000000001.5)],
    ['name and size run together differently', inboxKey('store_status.csv1', 0, 1700000000000.5)],
  ])('changes with %s', (_what, other) => {
    expect(other).not.toBe(base);
  });

  it('is 64 hex characters, the same for the same file', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(inboxKey('store_status.csv', 1000, 1700000000000.5)).toBe(base);
  });
});
