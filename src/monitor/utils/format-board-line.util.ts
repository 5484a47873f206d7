import type { BoardStoreDto } from '../dto/board.dto';

/** One store of the board as a line of text: id, state, and for a down store since when (local) and for how long. */
export function formatBoardLine(store: BoardStoreDto): string {
  const columns = [store.store_id.padEnd(36), store.state.padEnd(7)];
  if (store.since !== null && store.down_for_s !== null) {
    const minutes = Math.floor(store.down_for_s / 60);
    columns.push(
      `since ${store.since.local.slice(0, 16).replace('T', ' ')} local (${Math.floor(minutes / 60)} h ${minutes % 60} min)`,
    );
  }
  return columns.join(' ').trimEnd();
}
