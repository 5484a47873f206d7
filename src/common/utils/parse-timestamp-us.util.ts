/**
 * Parses the poll feed's `timestamp_utc` (SPEC §1) to microseconds since the epoch, exactly.
 * Accepted: `YYYY-MM-DD HH:MM:SS[.f…] UTC` (1–6 fraction digits), the same with `T` and/or `Z`,
 * an ISO offset (`+05:30`, `-0800`), or no zone at all (then UTC).
 * Returns the instant, or a string saying why the value is refused (no allocation on success,
 * which matters at millions of rows).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ?(UTC|Z|[+-]\d{2}:?\d{2}))?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

export function parseTimestampUs(text: string): number | string {
  const m = TIMESTAMP.exec(text);
  if (m === null) return 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC';
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return `timestamp_utc has no such date: ${m[1]}-${m[2]}-${m[3]}`;
  }
  if (hour > 23 || minute > 59 || second > 59) return 'timestamp_utc has an impossible time of day';
  let micros = m[7] === undefined ? 0 : +m[7].padEnd(6, '0');
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone.length > 1 && zone.toUpperCase() !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = +digits.slice(2);
    if (oh > 23 || om > 59) return 'timestamp_utc has an impossible UTC offset';
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  micros += ms * 1000;
  return micros;
}
