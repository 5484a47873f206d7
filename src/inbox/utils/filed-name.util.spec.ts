import { filedName } from './filed-name.util';

const NOW = new Date('2026-11-24T01:15:00.123Z');

describe('filedName', () => {
  it.each([
    ['store_status.csv', [], 'store_status.csv'],
    ['store_status.csv', ['store_status.csv'], 'store_status.20261124T011500-123Z.csv'],
    [
      'store_status.csv',
      ['store_status.csv', 'store_status.20261124T011500-123Z.csv'],
      'store_status.20261124T011500-123Z-1.csv',
    ],
    ['polls', ['polls'], 'polls.20261124T011500-123Z'],
  ])('%s with %j there → %s', (name, present, expected) => {
    expect(filedName(name, (c) => present.includes(c), NOW)).toBe(expected);
  });
});
