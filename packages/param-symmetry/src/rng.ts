import { createRng } from '@noether/autodiff';

/** `n` standard normal samples from autodiff's seeded generator (PCG32, `createRng(seed)`). */
export function seededNormals(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}
