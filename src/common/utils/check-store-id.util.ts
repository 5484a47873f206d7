const STORE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * SPEC §1: an opaque string of 1–64 characters from [A-Za-z0-9_-]; never a number. Not starting
 * with `-` either: the report is a CSV a spreadsheet opens, and it reads a cell starting with `-`
 * (as with `=`, `+`, `@`, which the alphabet leaves out) as a formula (OWASP's CSV injection).
 * Returns why the value is not a store id, or null. The feeds check their rows with it, the store
 * view its path and cursor.
 */
export function checkStoreId(value: string): string | null {
  if (value === '') return 'store_id is empty';
  if (!STORE_ID.test(value)) return 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -';
  return value.startsWith('-') ? 'store_id must not start with - (a spreadsheet would read it as a formula)' : null;
}
