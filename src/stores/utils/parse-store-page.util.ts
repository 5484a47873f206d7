import { InvalidInputError } from '../../common/errors/domain-errors';
import { checkStoreId } from '../../common/utils/check-store-id.util';
import { parsePageLimit } from '../../common/utils/parse-page-limit.util';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * GET /stores' query: `limit` (default 100, at most 1000) and `cursor`, the last store id of the
 * previous page (none, or empty, for the first page).
 * @throws InvalidInputError for a limit that is not an integer in range or a cursor that is not a store id
 */
export function parseStorePage(limit: string | undefined, cursor: string | undefined): { limit: number; after?: string } {
  const size = parsePageLimit(limit, { size: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
  if (cursor === undefined || cursor === '') return { limit: size };
  const bad = checkStoreId(cursor);
  if (bad !== null) throw new InvalidInputError(`cursor: ${bad}`);
  return { limit: size, after: cursor };
}
