const imul = Math.imul;

/** FNV-1a of the seed's text: any string or number is a seed (so 7 and '7' are the same seed). */
export function seedToInt(seed: string | number): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h >>> 0;
}
