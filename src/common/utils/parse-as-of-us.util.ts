import { InvalidInputError } from '../errors/domain-errors';
import { parseTimestampUs } from './parse-timestamp-us.util';

/**
 * A caller's as_of (the report's, the store view's) as microseconds, with the poll feed's
 * timestamp rules (an instant in the years 1970 to 2099); undefined when none was given.
 * @throws InvalidInputError when the text is not such an instant (or not a string at all)
 */
export function parseAsOfUs(asOf: unknown): number | undefined {
  if (asOf === undefined) return undefined;
  if (typeof asOf !== 'string') {
    const got =
      asOf === null ? 'null' : Array.isArray(asOf) ? 'an array' : typeof asOf === 'object' ? 'an object' : `a ${typeof asOf}`;
    throw new InvalidInputError(`as_of must be a string, an ISO 8601 instant such as 2023-03-13T15:00:00Z (got ${got})`);
  }
  // Longer than any instant with room for spaces: refused unread.
  const us = asOf.length > 64 ? 'too long' : parseTimestampUs(asOf.trim());
  if (typeof us === 'string') {
    const shown = asOf.length > 40 ? `${asOf.slice(0, 40)}…` : asOf;
    if (us.includes('year must be')) throw new InvalidInputError(`as_of year must be between 1970 and 2099 (got "${shown}")`);
    throw new InvalidInputError(`as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "${shown}")`);
  }
  return us;
}
