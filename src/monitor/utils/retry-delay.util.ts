/** The longest wait between two attempts of a delivery. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** The wait after a delivery's `attempts`-th failed attempt: `firstMs`, doubled at each attempt, at most an hour. */
export function retryDelayMs(attempts: number, firstMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, firstMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}
