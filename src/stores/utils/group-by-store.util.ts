/**
 * The rows of each store, in the order the file gives them, stores in the order they first
 * appear: so that an import can handle its stores a slice at a time, each with all of its rows.
 */
export function groupByStore<T extends { storeId: string }>(rows: readonly T[]): Map<string, T[]> {
  const byStore = new Map<string, T[]>();
  for (const row of rows) {
    const list = byStore.get(row.storeId);
    if (list === undefined) byStore.set(row.storeId, [row]);
    else list.push(row);
  }
  return byStore;
}
