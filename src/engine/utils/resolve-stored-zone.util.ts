import { resolveTimeZone } from './resolve-time-zone.util';
import { isValidTimeZone } from './zone-offset.util';

/** How the engine computes a store whose zone was stored before imports checked names strictly. */
export type StoredZone =
  /** In this canonical IANA zone: the name is one (or a link to it), or Intl reads it as one. */
  | { kind: 'zone'; zone: string }
  /** In the default zone, as a store without a zone is: Intl does not know the name (storeZone). */
  | { kind: 'default' }
  /** In ICU's zone `icu`, which the IANA table does not name (only the obsolete SystemV/* names, with Node 20's ICU). */
  | { kind: 'unnamed'; icu: string };

/**
 * What a zone name stored before the input rules means to the engine today, and so what it can
 * become without changing a report: the engine computes a stored name through Intl
 * (`storeZone`), which ignores case and knows ICU's own names (`PST`, `IST`), and falls back to
 * the default zone for a name Intl refuses. So a name of the IANA table is its canonical zone
 * (resolveTimeZone); any other name Intl accepts is the canonical zone of the ICU zone Intl
 * reads it as (`america/chicago` → America/Chicago, `asia/calcutta` → Asia/Calcutta →
 * Asia/Kolkata). Not the "did you mean" of resolveTimeZone: `America/New York` is refused by
 * Intl, so the engine computes it in the default zone, not in America/New_York.
 */
export function resolveStoredZone(name: string): StoredZone {
  const strict = resolveTimeZone(name);
  if ('zone' in strict) return { kind: 'zone', zone: strict.zone };
  if (!isValidTimeZone(name)) return { kind: 'default' };
  const icu = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  const named = resolveTimeZone(icu);
  return 'zone' in named ? { kind: 'zone', zone: named.zone } : { kind: 'unnamed', icu };
}
