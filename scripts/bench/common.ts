/** Small helpers every part of the bench uses: the clock, rounding, percentiles, the progress log. */

export const now = () => performance.now();
export const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Progress goes to stderr, so that stdout carries the result tables alone. */
export function log(message: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
