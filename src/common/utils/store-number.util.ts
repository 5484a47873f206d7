import { detachedCopy } from './detached-copy.util';

/**
 * The number of `storeId` in a dictionary of store ids (`ids` in the order first seen, `numbers`
 * the number of each), added as the next number when it is new. The id kept is a copy of its
 * own, not a view of the file's text it was cut from (see detachedCopy).
 */
export function storeNumber(numbers: Map<string, number>, ids: string[], storeId: string): number {
  let n = numbers.get(storeId);
  if (n === undefined) {
    n = ids.length;
    const own = detachedCopy(storeId);
    numbers.set(own, n);
    ids.push(own);
  }
  return n;
}
