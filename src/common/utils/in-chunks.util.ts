/** Runs `fn` on consecutive slices of at most `size` items: keeps multi-row statements under driver limits. */
export async function inChunks<T>(items: readonly T[], size: number, fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}
