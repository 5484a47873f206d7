/**
 * Whether an inbox entry's name is a feed file to take: `*.csv`, not hidden. Names that end in
 * `.tmp` or `.part` (files still being written, by the usual convention) are therefore never taken.
 */
export function isInboxCandidate(name: string): boolean {
  return !name.startsWith('.') && /\.csv$/i.test(name);
}
