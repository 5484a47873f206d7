/** Formats microseconds since the epoch as an ISO instant with all six fraction digits. */
export function formatInstantUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2023-03-04T15:03:57.680Z
  const fraction = String(us - Math.floor(us / 1_000_000) * 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}
