import type { RunStatus } from '@noether/autodiff';
import { checkWeights64, flatten64, unflatten64, type DenseChain, type Weights64 } from './dense-chain';
import { checkNumber } from './errors';
import { checkData64, lossAndGradUnchecked, type Data64 } from './mlp64';
import { seededNormals } from './rng';

/** Options of {@link sharpness}. */
export interface SharpnessOptions {
  /** Seed of the starting vector. Default 0. */
  seed?: number;
  /** Power-iteration cap. Default 500. */
  maxIterations?: number;
  /** Stop when the eigenvalue estimate changes by less than `tol` relative. Default 1e-10. */
  tol?: number;
}

/** Result of {@link sharpness}. */
export interface SharpnessResult {
  /** The largest-magnitude Hessian eigenvalue (the sharpness at a minimum, where the Hessian is PSD). */
  value: number;
  /** Its unit eigenvector (flat, the chain's weight order). */
  vector: Float64Array;
  status: Extract<RunStatus, 'ok' | 'max-iterations'>;
  iterations: number;
}

/**
 * Sharpness `lambda_max` of the loss Hessian at `weights` (float64): power iteration on Hessian-vector
 * products from central differences of the exact float64 gradient (step `1e-5 max(1, |theta|)`, error
 * O(h^2)). At a minimum the Hessian is positive semi-definite and the result is the sharpness.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs.
 * @example
 * ```ts
 * // L = (uv - y)^2 / 2 at a minimum reached by gradient flow: lambda_max = sqrt(Q0^2 + 4 y^2), Q0 = u0^2 - v0^2.
 * sharpness(chain, weights, data).value;
 * ```
 * @see B. Zhao et al., "Symmetries, flat minima, and the conserved quantities of gradient flow", ICLR 2023.
 */
export function sharpness(
  chain: DenseChain,
  weights: Weights64,
  data: Data64 & SharpnessOptions,
): SharpnessResult {
  const fn = 'sharpness';
  checkWeights64(fn, chain, weights);
  checkData64(fn, chain, data);
  const maxIterations = checkNumber([fn, 'maxIterations'], data.maxIterations ?? 500, {
    min: 1,
    inclusive: true,
    integer: true,
  });
  const tol = checkNumber([fn, 'tol'], data.tol ?? 1e-10, { min: 0 });
  const seed = checkNumber([fn, 'seed'], data.seed ?? 0, { min: 0, inclusive: true, integer: true });
  const theta = flatten64(weights);
  let norm = 0;
  for (const v of theta) norm += v * v;
  const h = 1e-5 * Math.max(1, Math.sqrt(norm));
  const gradAt = (x: Float64Array): Float64Array =>
    flatten64(lossAndGradUnchecked(chain, unflatten64(chain, x), data).grads);
  const hvp = (v: Float64Array): Float64Array => {
    const plus = gradAt(theta.map((t, i) => t + h * v[i]));
    const minus = gradAt(theta.map((t, i) => t - h * v[i]));
    return plus.map((p, i) => (p - minus[i]) / (2 * h));
  };
  let v = seededNormals(theta.length, seed);
  const normalize = (x: Float64Array): Float64Array => {
    const n = Math.sqrt(x.reduce((a, b) => a + b * b, 0));
    return x.map((e) => e / n);
  };
  v = normalize(v);
  let lambda = 0;
  for (let it = 1; it <= maxIterations; it++) {
    const hv = hvp(v);
    const next = hv.reduce((a, e, i) => a + e * v[i], 0);
    v = normalize(hv);
    if (it > 1 && Math.abs(next - lambda) <= tol * Math.abs(next))
      return { value: next, vector: v, status: 'ok', iterations: it };
    lambda = next;
  }
  return { value: lambda, vector: v, status: 'max-iterations', iterations: maxIterations };
}
