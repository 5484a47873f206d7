import { InvalidInputError } from '../errors/domain-errors';
import { parseTimestampUs } from './parse-timestamp-us.util';

/**
 * A caller's as_of (the report's, the store view's) as microseconds, with the poll feed's
 * timestamp rules; undefined when none was given.
 * @throws InvalidInputError when the text is not an instant
 */
export function parseAsOfUs(asOf: string | undefined): number | undefined {
  if (asOf === undefined) return undefined;
  const us = parseTimestampUs(asOf.trim());
  if (typeof us === 'string') {
    const shown = asOf.length > 40 ? `${asOf.slice(0, 40)}…` : asOf;
    throw new InvalidInputError(`as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "${shown}")`);
  }
  return us;
}
