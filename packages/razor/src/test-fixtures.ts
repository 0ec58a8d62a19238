// Test helpers (not exported from the package): float64 generators of n unit oscillators and exact data.
import * as tf from '@tensorflow/tfjs';

/** G = [[J A, J b], [0, 0]] `[(M+1)^2]` of C = xᵀAx/2 + bᵀx, in float64. */
export function generatorOf(A: ArrayLike<number>, b: ArrayLike<number>, dim: number): Float64Array {
  const m = dim + 1;
  const n = dim / 2;
  const G = new Float64Array(m * m);
  for (let i = 0; i < dim; i++) {
    const src = i < n ? n + i : i - n;
    const sign = i < n ? 1 : -1;
    for (let j = 0; j < dim; j++) G[i * m + j] = sign * A[src * dim + j];
    G[i * m + dim] = sign * b[src];
  }
  return G;
}

/** The n² quadratic conserved quantities of n unit oscillators (u(n)): I_i, L_ij, K_ij as (A, name). */
export function unitaryQuadratics(n: number): { A: Float64Array; name: string }[] {
  const dim = 2 * n;
  const quad = (entries: [number, number, number][]) => {
    const A = new Float64Array(dim * dim);
    for (const [i, j, v] of entries) {
      A[i * dim + j] += v;
      if (i !== j) A[j * dim + i] += v;
    }
    return A;
  };
  const out: { A: Float64Array; name: string }[] = [];
  for (let i = 0; i < n; i++)
    out.push({
      A: quad([
        [i, i, 1],
        [n + i, n + i, 1],
      ]),
      name: `I${i + 1}`,
    });
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      out.push({
        A: quad([
          [i, n + j, 1],
          [j, n + i, -1],
        ]),
        name: `L${i + 1}${j + 1}`,
      });
      out.push({
        A: quad([
          [i, j, 1],
          [n + i, n + j, 1],
        ]),
        name: `K${i + 1}${j + 1}`,
      });
    }
  return out;
}

/** True generators of u(n). */
export function unitaryGenerators(n: number): Float64Array[] {
  return unitaryQuadratics(n).map((q) => generatorOf(q.A, new Float64Array(2 * n), 2 * n));
}

/** Exact one-step transitions of n unit oscillators (rotation by dt), seeded. */
export function oscillatorTransitions(
  n: number,
  o: { count: number; steps: number; dt: number; seed: number },
) {
  const { count, steps, dt, seed } = o;
  let s = seed >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const dim = 2 * n;
  const xs: number[] = [];
  const ys: number[] = [];
  const c = Math.cos(dt);
  const sn = Math.sin(dt);
  for (let t = 0; t < count; t++) {
    let x = Array.from({ length: dim }, (_, i) => (i < n ? normal() : 0.5 * normal()));
    for (let k = 0; k < steps; k++) {
      const y = x.slice();
      for (let i = 0; i < n; i++) {
        y[i] = x[i] * c + x[n + i] * sn;
        y[n + i] = -x[i] * sn + x[n + i] * c;
      }
      xs.push(...x);
      ys.push(...y);
      x = y;
    }
  }
  return { x: tf.tensor2d(xs, [count * steps, dim]), y: tf.tensor2d(ys, [count * steps, dim]) };
}
