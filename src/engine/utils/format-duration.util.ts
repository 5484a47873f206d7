/**
 * A duration in µs expressed in `unitUs` units with exactly two decimals, rounded half away
 * from zero, computed exactly: the engine's durations are multiples of 0.5 µs, so us × 100
 * is an integer below 2^53 and the division is done on integers (floor and remainder),
 * never with a float's toFixed.
 */
export function formatDuration(us: number, unitUs: number): string {
  const negative = us < 0;
  const num = Math.round(Math.abs(us) * 100); // exact for multiples of 0.5 µs
  let q = Math.floor(num / unitUs);
  let r = num - q * unitUs;
  // The float quotient may round across an integer: fix q so that 0 <= r < unitUs.
  if (r < 0) {
    q -= 1;
    r += unitUs;
  } else if (r >= unitUs) {
    q += 1;
    r -= unitUs;
  }
  const hundredths = 2 * r >= unitUs ? q + 1 : q; // half away from zero
  const cents = hundredths % 100;
  const text = `${Math.floor(hundredths / 100)}.${cents < 10 ? '0' : ''}${cents}`;
  return negative && hundredths !== 0 ? `-${text}` : text;
}
