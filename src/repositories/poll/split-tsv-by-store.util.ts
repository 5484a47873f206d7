const TAB = 9;
const NEWLINE = 10;

/** Whether the lines starting at `a` and `b` have the same first field (the store id). */
function sameStore(tsv: Uint8Array, a: number, b: number): boolean {
  for (; ; a++, b++) {
    if (tsv[a] !== tsv[b]) return false;
    if (tsv[a] === TAB) return true;
  }
}

/**
 * Cuts TSV lines in key order into at most `parts` pieces of about equal size, only between two
 * stores, so that writers loading the pieces side by side never touch the same store's keys.
 * Empty pieces are left out; the pieces are views of `tsv`, not copies.
 */
export function splitTsvByStore(tsv: Uint8Array, parts: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (let p = 1; p < parts && from < tsv.length; p++) {
    const target = tsv.indexOf(NEWLINE, Math.max(from, Math.floor((tsv.length * p) / parts) - 1)) + 1;
    if (target <= 0 || target >= tsv.length) break;
    // move the cut on to the first line of the next store, or else back to the first of this one
    let cut = target;
    let previous = tsv.lastIndexOf(NEWLINE, cut - 2) + 1;
    while (cut < tsv.length && sameStore(tsv, previous, cut)) {
      previous = cut;
      cut = tsv.indexOf(NEWLINE, cut) + 1;
    }
    if (cut >= tsv.length) {
      cut = target;
      for (let before = tsv.lastIndexOf(NEWLINE, cut - 2) + 1; cut > from && sameStore(tsv, before, cut);) {
        cut = before;
        before = tsv.lastIndexOf(NEWLINE, cut - 2) + 1;
      }
      if (cut <= from) break;
    }
    pieces.push(tsv.subarray(from, cut));
    from = cut;
  }
  if (from < tsv.length) pieces.push(tsv.subarray(from));
  return pieces;
}
