// Bound once: a global lookup per call is slow where the global object is contextified (jest's vm).
const imul = Math.imul;

/**
 * mulberry32: a tiny, fast, well-mixed 32-bit PRNG. Returns a function giving floats in [0, 1).
 * The seed is taken modulo 2^32, so -1 and 2^32 - 1 give the same sequence. Shared by the seed
 * generator (whose output must stay byte-identical for a seed) and by randomised specs.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
