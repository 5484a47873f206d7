import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether a presented key is one of the configured keys, in constant time: every key is
 * compared (digests of equal length), so the time says nothing of which key, or how much of it, matched.
 */
export function matchesApiKey(presented: string | undefined, keys: readonly string[]): boolean {
  const candidate = digest(presented ?? '');
  let match = false;
  for (const key of keys) match = timingSafeEqual(candidate, digest(key)) || match;
  return presented !== undefined && presented !== '' && match;
}
