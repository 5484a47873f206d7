/**
 * The numbers of a GROUP_CONCAT of packed polls (`timestamp_us * 2 + active`, comma-separated,
 * as text or bytes), read digit by digit: no string per poll. Exact for values below 2^53 (every
 * partial value is smaller than the whole). An empty list gives no number.
 */
export function parsePackedPolls(packed: string | Buffer): number[] {
  const text = typeof packed === 'string' ? packed : packed.toString('latin1');
  const numbers: number[] = [];
  if (text.length === 0) return numbers;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      numbers.push(n);
      n = 0;
    } else {
      n = n * 10 + (c - 48);
    }
  }
  numbers.push(n);
  return numbers;
}
