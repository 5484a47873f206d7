/** '00' to '59': the two-digit fields of a clock, made once rather than padded per row. */
export const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
