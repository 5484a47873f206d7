import { METHODS } from 'node:http';

const KNOWN = new Set(METHODS);

/**
 * The `method` label of a request refused before routing: one of Node's methods, '-' when the
 * request line could not be read, 'other' for any other word, so that a client sending made-up
 * methods cannot make a new time series each.
 */
export function methodLabel(method: string | undefined): string {
  if (method === undefined) return '-';
  return KNOWN.has(method) ? method : 'other';
}
