/**
 * Seeded uniform generator (mulberry32) for weight initialisation; deterministic across platforms.
 * Internal: initialisers take a `seed` option.
 */
export function uniformRng(seed: number): () => number {
  let s = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
