/** What the chunker needs of a store: its place in the data set. */
interface Indexed {
  index: number;
}

/** Stores per chunk: a chunk stays a few hundred kB whatever the number of stores. */
const STORES_PER_CHUNK = 1000;

/**
 * A file with rows per store (business hours, timezones) as CSV text chunks: the header, then
 * one chunk per 1,000 stores (by store index), in store order, so that a large file is written
 * without being held in memory. `rowsOf` gives one store's rows as CSV text ('' for none); the
 * caller counts its file's statistics there.
 */
export function* perStoreCsvChunks<S extends Indexed>(
  header: string,
  stores: readonly S[],
  rowsOf: (store: S) => string,
): Generator<string, void, void> {
  yield header;
  let chunk = '';
  for (const store of stores) {
    chunk += rowsOf(store);
    if (store.index % STORES_PER_CHUNK === STORES_PER_CHUNK - 1) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
