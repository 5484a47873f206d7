import { IANA_LINKS, IANA_ZONES } from './iana-zones';

/** Exact name (zone or link) → its canonical zone. */
const CANONICAL = new Map<string, string>([...IANA_ZONES.map((z) => [z, z] as const), ...IANA_LINKS]);
/** A loosely written name (any case, spaces for underscores) → the canonical zone it means. */
const LOOSE = new Map<string, string>();
const loose = (name: string) => name.toLowerCase().replace(/ /g, '_');
for (const [name, zone] of CANONICAL) LOOSE.set(loose(name), zone);

/**
 * A feed's zone name as IANA spells it (case-sensitive), to its canonical zone: a zone is itself,
 * a link (`US/Central`, `Asia/Calcutta`) is the zone it names (`America/Chicago`,
 * `Asia/Kolkata`), from the committed tzdata table (iana-zones.ts), not from Intl, whose ICU
 * resolves some names to older ones. Anything else is refused, with the zone meant when only the
 * case or a space differs (`america/chicago`: did you mean America/Chicago?).
 */
export function resolveTimeZone(name: string): { zone: string } | { error: string } {
  const zone = CANONICAL.get(name);
  if (zone !== undefined) return { zone };
  const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
  const meant = name.length <= 64 ? LOOSE.get(loose(name)) : undefined;
  return { error: `unknown timezone: ${shown}${meant === undefined ? '' : ` (did you mean ${meant}?)`}` };
}
