import { resolveStoredZone } from './resolve-stored-zone.util';
import { storeZone } from './store-zone.util';
import { zoneOffsetMs } from './zone-offset.util';

/** Instants across the years the rules allow, on both sides of northern and southern DST. */
const SAMPLES = [
  '1970-01-15',
  '1985-07-15',
  '2023-01-15',
  '2023-03-12T09:00Z',
  '2023-07-15',
  '2023-11-05T08:00Z',
  '2099-07-15',
].map((d) => Date.parse(d));

describe('resolveStoredZone', () => {
  it.each([
    // names of the IANA table: themselves, a link its zone
    ['America/Chicago', 'America/Chicago'],
    ['US/Central', 'America/Chicago'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['UTC', 'Etc/UTC'],
    // names Intl reads case-insensitively: the zone it reads them as
    ['america/chicago', 'America/Chicago'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['asia/calcutta', 'Asia/Kolkata'],
    ['us/pacific', 'America/Los_Angeles'],
    ['etc/gmt+5', 'Etc/GMT+5'],
    ['utc', 'Etc/UTC'],
    // ICU's own names, which imports accepted while they asked Intl
    ['PST', 'America/Los_Angeles'],
    ['IST', 'Asia/Kolkata'],
    ['America/Argentina/ComodRivadavia', 'America/Argentina/Catamarca'],
  ])('%j is computed as %s', (name, zone) => {
    expect(resolveStoredZone(name)).toEqual({ kind: 'zone', zone });
    // the promise: the same offsets as the engine computes for the stored name today
    const today = storeZone(name);
    expect(SAMPLES.map((t) => zoneOffsetMs(zone, t))).toEqual(SAMPLES.map((t) => zoneOffsetMs(today, t)));
  });

  it.each([
    'Mars/Olympus_Mons',
    '',
    'America/New York', // resolveTimeZone suggests America/New_York, but the engine never used it
    ' America/Chicago',
    'America/Chicago ',
    '+05:30',
    'Factory',
  ])('%j is computed in the default zone, as a store without one', (name) => {
    expect(resolveStoredZone(name)).toEqual({ kind: 'default' });
    expect(storeZone(name)).toBe('America/Chicago');
  });

  it.each([
    ['SystemV/EST5EDT', 'SystemV/EST5EDT'],
    ['systemv/pst8pdt', 'SystemV/PST8PDT'],
  ])('%j is read by Intl as %s, a zone of ICU that the IANA table does not name', (name, icu) => {
    expect(resolveStoredZone(name)).toEqual({ kind: 'unnamed', icu });
  });

  it("resolves every zone Node's Intl lists to a canonical zone", () => {
    const listed = (Intl as unknown as { supportedValuesOf(key: 'timeZone'): string[] }).supportedValuesOf('timeZone');
    expect(listed.length).toBeGreaterThan(300);
    expect(listed.filter((name) => resolveStoredZone(name).kind !== 'zone')).toEqual([]);
  });
});
