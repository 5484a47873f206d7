import { storeZone } from './store-zone.util';

describe('storeZone', () => {
  it.each<[string | null | undefined, string]>([
    ['America/Denver', 'America/Denver'],
    ['Pacific/Chatham', 'Pacific/Chatham'],
    ['US/Central', 'US/Central'],
    [null, 'America/Chicago'],
    [undefined, 'America/Chicago'],
    ['', 'America/Chicago'],
    ['Mars/Olympus_Mons', 'America/Chicago'],
  ])('%j → %s', (zone, expected) => {
    expect(storeZone(zone)).toBe(expected);
  });
});
