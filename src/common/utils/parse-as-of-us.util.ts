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
  if (typeof us === 'string') throw new InvalidInputError(`as_of: ${us.replace('timestamp_utc', 'as_of')}`);
  return us;
}
