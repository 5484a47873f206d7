import { InvalidInputError } from '../../common/errors/domain-errors';
import { parsePageLimit } from '../../common/utils/parse-page-limit.util';
import type { BoardPosition } from '../../repositories/store-state.repository';
import { BOARD_STATES } from './evaluate-store.util';

export const BOARD_PAGE_SIZE = 100;
export const BOARD_MAX_PAGE_SIZE = 500;

export interface BoardQuery {
  rank?: number;
  prefix?: string;
  limit: number;
  after?: BoardPosition;
}

/**
 * GET /status' query: `state` (one of the board's states), `q` (a store id prefix), `limit`
 * (default 100, at most 500) and `cursor` (the previous page's next_cursor, made by encodeBoardCursor).
 * @throws InvalidInputError for anything else
 */
export function parseBoardQuery(query: { state?: unknown; q?: unknown; limit?: unknown; cursor?: unknown }): BoardQuery {
  const text = (name: string, value: unknown): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new InvalidInputError(`${name} must be given once, as text`);
    return value;
  };
  const state = text('state', query.state);
  const q = text('q', query.q);
  const limit = text('limit', query.limit);
  const cursor = text('cursor', query.cursor);
  const parsed: BoardQuery = { limit: BOARD_PAGE_SIZE };
  if (state !== undefined) {
    const rank = (BOARD_STATES as readonly string[]).indexOf(state);
    if (rank < 0) throw new InvalidInputError(`state must be one of ${BOARD_STATES.join(', ')}`);
    parsed.rank = rank;
  }
  if (q !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(q))
      throw new InvalidInputError('q must be the start of a store id: 1 to 64 of A-Z a-z 0-9 _ -');
    parsed.prefix = q;
  }
  parsed.limit = parsePageLimit(limit, { size: BOARD_PAGE_SIZE, max: BOARD_MAX_PAGE_SIZE });
  if (cursor !== undefined) {
    const m = /^([0-3])\.(\d{1,17}(?:\.5)?)\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
    if (m === null) throw new InvalidInputError('cursor is malformed: pass the next_cursor of the page before');
    parsed.after = { rank: Number(m[1]), sinceUs: Number(m[2]), storeId: m[3] };
  }
  return parsed;
}
