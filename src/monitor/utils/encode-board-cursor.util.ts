import type { BoardPosition } from '../../repositories/store-state.repository';

/** A position on the board as an opaque `cursor` (parseBoardQuery reads it back): base64url of `rank.since.store_id`. */
export function encodeBoardCursor({ rank, sinceUs, storeId }: BoardPosition): string {
  return Buffer.from(`${rank}.${sinceUs}.${storeId}`).toString('base64url');
}
