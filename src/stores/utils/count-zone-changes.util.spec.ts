import { countZoneChanges } from './count-zone-changes.util';

const zone = (storeId: string, timezone: string) => ({ storeId, timezone });

describe('countZoneChanges', () => {
  it.each([
    ['a first zone: inserted', [], [zone('A', 'UTC')], { inserted: 1, unchanged: 0, replaced: 0 }, { A: 'UTC' }],
    ['the same zone: unchanged', [['A', 'UTC']], [zone('A', 'UTC')], { inserted: 0, unchanged: 1, replaced: 0 }, { A: 'UTC' }],
    [
      'another zone: replaced',
      [['A', 'UTC']],
      [zone('A', 'Asia/Kolkata')],
      { inserted: 0, unchanged: 0, replaced: 1 },
      { A: 'Asia/Kolkata' },
    ],
    [
      'within a file the later row wins; the rows it supersedes count as unchanged',
      [],
      [zone('A', 'UTC'), zone('A', 'Europe/Paris'), zone('A', 'Europe/Paris')],
      { inserted: 1, unchanged: 2, replaced: 0 },
      { A: 'Europe/Paris' },
    ],
    [
      'the same file again: every row unchanged',
      [['A', 'Europe/Paris']],
      [zone('A', 'UTC'), zone('A', 'Europe/Paris')],
      { inserted: 0, unchanged: 2, replaced: 0 },
      { A: 'Europe/Paris' },
    ],
    [
      'stores not in the file are not returned',
      [
        ['A', 'UTC'],
        ['B', 'UTC'],
      ],
      [zone('B', 'Europe/London'), zone('C', 'UTC')],
      { inserted: 1, unchanged: 0, replaced: 1 },
      { B: 'Europe/London', C: 'UTC' },
    ],
  ])('%s', (_name, before, rows, counts, zones) => {
    const result = countZoneChanges(new Map(before as Array<[string, string]>), rows);
    expect(result.counts).toEqual(counts);
    expect(Object.fromEntries(result.zones)).toEqual(zones);
  });
});
