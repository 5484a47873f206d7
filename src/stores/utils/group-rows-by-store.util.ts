/**
 * Rows grouped by store without an object per row (a counting sort): from each row's store number
 * (0 … stores - 1), the row numbers ordered by store, each store's in file order; store s has
 * `order[first[s]]` … `order[first[s + 1] - 1]`.
 */
export function groupRowsByStore(store: Int32Array, stores: number): { first: Int32Array; order: Int32Array } {
  const first = new Int32Array(stores + 1);
  for (const s of store) first[s + 1]++;
  for (let s = 0; s < stores; s++) first[s + 1] += first[s];
  const next = first.slice(0, stores);
  const order = new Int32Array(store.length);
  for (let row = 0; row < store.length; row++) order[next[store[row]]++] = row;
  return { first, order };
}
