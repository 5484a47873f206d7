const STORE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * SPEC §1: an opaque string of 1–64 characters from [A-Za-z0-9_-]; never a number. Returns why
 * the value is not a store id, or null. The feeds check their rows with it, the store view its
 * path and cursor.
 */
export function checkStoreId(value: string): string | null {
  if (value === '') return 'store_id is empty';
  return STORE_ID.test(value) ? null : 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -';
}
