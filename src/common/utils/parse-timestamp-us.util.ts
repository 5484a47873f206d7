/**
 * Parses the poll feed's `timestamp_utc` (SPEC §1) to microseconds since the epoch, exactly.
 * Accepted: `YYYY-MM-DD HH:MM:SS[.f…] UTC` (1–6 fraction digits), the same with `T` and/or `Z`,
 * an ISO offset (`+05:30`, `-0800`), or no zone at all (then UTC), for an instant in the years
 * 1970 to 2099 (UTC): a typo such as 2203 or 0023 is refused, not stored (it would move every
 * report's default as_of), and Date.UTC never sees a year below 100 (which it reads as 19xx).
 * Returns the instant, or a string saying why the value is refused (no allocation on success,
 * which matters at millions of rows).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ?(UTC|Z|[+-]\d{2}:?\d{2}))?$/i;

/** The instants accepted: [1970-01-01T00:00Z, 2100-01-01T00:00Z), in µs. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2099;
const END_US = Date.UTC(LAST_YEAR + 1, 0, 1) * 1000;
const OUT_OF_RANGE = `timestamp_utc year must be between ${FIRST_YEAR} and ${LAST_YEAR}`;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The number written by the digits text[from, to), or NaN if one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * The real feed's two forms, `2023-03-04 15:03:57.680822 UTC` and `2023-03-04 15:03:57 UTC`, read
 * from `text` at `from` to its end by character codes and integer arithmetic (the regular
 * expression, a cut-out copy of the value and Date.UTC were most of a row's validation time); NaN
 * for any other text or any value out of range, which the full reading below then accepts or explains.
 */
function realFeedFormUs(text: string, from: number): number {
  const n = text.length - from;
  if (n !== 30 && n !== 23) return Number.NaN;
  const at = (i: number) => text.charCodeAt(from + i);
  // '-' 45, ' ' 32, ':' 58, '.' 46, 'U' 85, 'T' 84, 'C' 67
  if (at(4) !== 45 || at(7) !== 45 || at(10) !== 32 || at(13) !== 58 || at(16) !== 58) return Number.NaN;
  if (at(n - 4) !== 32 || at(n - 3) !== 85 || at(n - 2) !== 84 || at(n - 1) !== 67) return Number.NaN;
  if (n === 30 && at(19) !== 46) return Number.NaN;
  const year = digits(text, from, from + 4);
  const month = digits(text, from + 5, from + 7);
  const day = digits(text, from + 8, from + 10);
  const hour = digits(text, from + 11, from + 13);
  const minute = digits(text, from + 14, from + 16);
  const second = digits(text, from + 17, from + 19);
  const micros = n === 30 ? digits(text, from + 20, from + 26) : 0;
  // NaN fails every comparison, so a non-digit falls through with the out-of-range values
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) return Number.NaN;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59 && micros >= 0)) return Number.NaN;
  // below 2^53 until 2100: exact
  return (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1_000_000 + micros;
}

/**
 * The instant written in `text` from `from` to its end (the whole text by default; a poll line's
 * last field is read where it is, see parsePollLine): see the top of this file.
 */
export function parseTimestampUs(text: string, from = 0): number | string {
  const fast = realFeedFormUs(text, from);
  if (fast === fast) return fast; // not NaN
  const value = from === 0 ? text : text.slice(from);
  const m = TIMESTAMP.exec(value);
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
  if (year < FIRST_YEAR || year > LAST_YEAR) return OUT_OF_RANGE;
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
  // An offset can move a written 1970-01-01 or 2099-12-31 across the range's ends.
  if (micros < 0 || micros >= END_US) return OUT_OF_RANGE;
  return micros;
}
