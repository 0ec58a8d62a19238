/**
 * A small seeded generator (splitmix32 stream) for flow samples and minibatches: deterministic per
 * (seed, step), so a resumed run draws the same numbers as an uninterrupted one.
 */
export interface StepRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** A generator for one training step: `seed` and `step` mixed into the starting state. */
export function stepRng(seed: number, step: number): StepRng {
  let s = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(step >>> 0, 0x85ebca6b) ^ 0x27d4eb2f) >>> 0;
  const u32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const next = () => u32() / 2 ** 32;
  return {
    next,
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    int: (n) => Math.floor(next() * n),
  };
}
