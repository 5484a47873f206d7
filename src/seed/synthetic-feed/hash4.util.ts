// Bound once: a global lookup per call is slow where the global object is contextified (jest's vm),
// and hash4 runs several times per generated poll.
const imul = Math.imul;

/** murmur3's finaliser: a bijective avalanche of 32 bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of up to four integers (each taken modulo 2^32). The generator hashes (seed,
 * store, tag, slot) instead of drawing from a sequence, so that any window of time gives the
 * same rows wherever it overlaps another.
 */
export function hash4(a: number, b: number, c = 0, d = 0): number {
  let h = fmix(a ^ 0x9e3779b9);
  h = fmix(h ^ imul(b | 0, 0xcc9e2d51));
  h = fmix(h ^ imul(c | 0, 0x1b873593));
  h = fmix(h ^ imul(d | 0, 0xe6546b64));
  return h;
}
