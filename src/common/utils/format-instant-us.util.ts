/**
 * Formats microseconds since the epoch as an ISO instant with all six fraction digits. A half
 * microsecond (the midpoint of two polls) is dropped: ISO readers and our own parser take six
 * digits at most.
 */
export function formatInstantUs(us: number): string {
  const whole = Math.floor(us);
  const ms = Math.floor(whole / 1000);
  const iso = new Date(ms).toISOString(); // 2023-03-04T15:03:57.680Z
  const fraction = String(whole - Math.floor(whole / 1_000_000) * 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}
