import type { Data64 } from './mlp64';
import { seededNormals } from './rng';

/** A seeded regression data set `y = sin(x . a) + 0.1 |x|^2` (float64; for examples, tests and reports). */
export function regressionData(n: number, dims: { input: number; output: number; seed: number }): Data64 {
  const x = seededNormals(n * dims.input, dims.seed);
  const a = seededNormals(dims.input * dims.output, dims.seed + 1);
  const y = new Float64Array(n * dims.output);
  for (let r = 0; r < n; r++)
    for (let k = 0; k < dims.output; k++) {
      let s = 0;
      let q = 0;
      for (let i = 0; i < dims.input; i++) {
        s += x[r * dims.input + i] * a[i * dims.output + k];
        q += x[r * dims.input + i] ** 2;
      }
      y[r * dims.output + k] = Math.sin(s) + 0.1 * q;
    }
  return { x, y, n };
}

/** A seeded classification data set with one-hot labels from the argmax of a random linear map. */
export function classificationData(
  n: number,
  dims: { input: number; classes: number; seed: number },
): Data64 {
  const x = seededNormals(n * dims.input, dims.seed);
  const a = seededNormals(dims.input * dims.classes, dims.seed + 1);
  const y = new Float64Array(n * dims.classes);
  for (let r = 0; r < n; r++) {
    let best = 0;
    let bestV = -Infinity;
    for (let k = 0; k < dims.classes; k++) {
      let s = 0;
      for (let i = 0; i < dims.input; i++) s += x[r * dims.input + i] * a[i * dims.classes + k];
      if (s > bestV) [best, bestV] = [k, s];
    }
    y[r * dims.classes + best] = 1;
  }
  return { x, y, n };
}
