export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 3600 * US_PER_SECOND;
export const US_PER_DAY = 24 * US_PER_HOUR;

/** '00' to '59': the two-digit fields of a clock, made once rather than padded per row. */
export const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
