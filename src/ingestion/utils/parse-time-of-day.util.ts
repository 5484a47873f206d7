/**
 * Parses a business-hours time (SPEC §1): `HH:MM` or `HH:MM:SS`, a fraction ignored, to seconds
 * since local midnight. `24:00` is allowed only as an end (86400).
 * Returns the seconds, or a string saying why the value is refused.
 */
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

export function parseTimeOfDay(text: string, role: 'start' | 'end'): number | string {
  const m = TIME_OF_DAY.exec(text);
  const column = role === 'start' ? 'start_time_local' : 'end_time_local';
  if (m === null) return `${column} must be HH:MM or HH:MM:SS`;
  const h = +m[1];
  const min = +m[2];
  const s = m[3] === undefined ? 0 : +m[3];
  if (h === 24 && min === 0 && s === 0) {
    return role === 'end' ? 86_400 : `${column} cannot be 24:00`;
  }
  if (h > 23 || min > 59 || s > 59) return `${column} is not a time of day: ${text}`;
  return h * 3600 + min * 60 + s;
}
