import { invalid } from './errors';

/** A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). */
export interface Rng {
  /** Uniform float in [0, 1) with 32 random bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** The internal state (4 uint32), for checkpoints. */
  state(): [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator: xoshiro128** (Blackman & Vigna 2018), state seeded by splitmix32, or restored
 * from a saved `state()`. Deterministic across platforms.
 *
 * @throws {PinnProjError} `INVALID_ARGUMENT` for a non-integer seed.
 * @example
 * const rng = createRng(42);
 * rng.next(); // 0.6275...
 */
export function createRng(seed: number | readonly [number, number, number, number]): Rng {
  let a: number, b: number, c: number, d: number;
  if (Array.isArray(seed)) {
    [a, b, c, d] = (seed as number[]).map((v) => v >>> 0);
  } else {
    if (!Number.isSafeInteger(seed)) invalid(['createRng', 'seed'], 'a safe integer or a saved state', seed);
    const sm = splitmix32((seed as number) ^ Math.floor((seed as number) / 2 ** 32));
    [a, b, c, d] = [sm(), sm(), sm(), sm()];
  }
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = () => {
    const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c = (c ^ t) >>> 0;
    d = ((d << 11) | (d >>> 21)) >>> 0;
    a >>>= 0;
    b >>>= 0;
    return result;
  };
  return {
    next: () => nextU32() / 4294967296,
    int: (n: number) => Math.floor((nextU32() / 4294967296) * n),
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
  };
}
