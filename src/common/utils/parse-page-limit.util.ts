import { InvalidInputError } from '../errors/domain-errors';

/**
 * A list's `limit` query value (GET /stores, /status, /events): none or empty is the list's
 * default page size, anything else 1 to 4 digits naming an integer from 1 to `max`.
 * @throws InvalidInputError `limit must be an integer from 1 to <max>` for any other text
 */
export function parsePageLimit(limit: string | undefined, page: { size: number; max: number }): number {
  if (limit === undefined || limit === '') return page.size;
  // Four digits at most: a longer text is refused before it is read as a number.
  const n = /^\d{1,4}$/.test(limit) ? Number(limit) : 0;
  if (n < 1 || n > page.max) throw new InvalidInputError(`limit must be an integer from 1 to ${page.max}`);
  return n;
}
