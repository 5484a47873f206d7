import { InvalidInputError } from '../../common/errors/domain-errors';
import { checkStoreId } from '../../common/utils/check-store-id.util';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * GET /stores' query: `limit` (default 100, at most 1000) and `cursor`, the last store id of the
 * previous page (none, or empty, for the first page).
 * @throws InvalidInputError for a limit that is not an integer in range or a cursor that is not a store id
 */
export function parseStorePage(limit: string | undefined, cursor: string | undefined): { limit: number; after?: string } {
  let size = DEFAULT_PAGE_SIZE;
  if (limit !== undefined && limit !== '') {
    size = /^\d{1,4}$/.test(limit) ? Number(limit) : 0;
    if (size < 1 || size > MAX_PAGE_SIZE) throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (cursor === undefined || cursor === '') return { limit: size };
  const bad = checkStoreId(cursor);
  if (bad !== null) throw new InvalidInputError(`cursor: ${bad}`);
  return { limit: size, after: cursor };
}
