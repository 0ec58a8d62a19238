import * as tf from '@tensorflow/tfjs';
import { targetConstants, validateConstraint } from './constraint';
import type { Constraint } from './constraint';
import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';
import { resolveGridWeights } from './project';
import type { WeightSpec } from './quadrature';
import { callNet } from './with-projection';
import type { NetLike, WithProjectionOptions } from './with-projection';

/**
 * The soft-constraint (penalty) baseline of the paper on grid values `U` (`[K, n]`, one row per time level):
 * `λ · mean_k ((I(t_k) - c(t_k)) / |X|)²` with `I = Σ w u` (linear), `Σ w u²` (quadratic), or the sum of both
 * terms (joint); `|X| = Σ w`. Differentiable in `U`.
 *
 * @param values - `[K, n]` float32, borrowed.
 * @param weights - quadrature weights (length n).
 * @param options - `constraint`, `times` (needed for callback targets), `lambda` (default 10, the paper's).
 * @returns a scalar owned by the caller.
 * @throws {PinnProjError} `SHAPE_MISMATCH` / `INVALID_ARGUMENT` for bad inputs.
 * @example
 * const pen = integralPenalty(U, grid, { constraint: { type: 'linear', c1 }, lambda: 10 });
 * @see Baez et al., arXiv 2511.09048 (2025), soft-constraint PINN (PINN-SC).
 */
export function integralPenalty(
  values: tf.Tensor2D,
  weights: WeightSpec,
  options: { constraint: Constraint; times?: ArrayLike<number>; lambda?: number },
): tf.Scalar {
  const fn = 'integralPenalty';
  validateConstraint(options?.constraint, fn, 'options.constraint');
  if (!(values instanceof tf.Tensor) || values.rank !== 2) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'values' must be a tensor [K, n], got ${describeValue(values)}`,
    );
  }
  const lambda = options.lambda ?? 10;
  if (!Number.isFinite(lambda) || lambda < 0) invalid([fn, 'options.lambda'], 'a finite number >= 0', lambda);
  const [K, n] = values.shape;
  const grid = resolveGridWeights(weights, n, fn);
  const k = targetConstants(options.constraint, grid.W, {
    slices: K,
    times: options.times,
    policy: 'clamp',
    fn,
  });
  return tf.tidy(() => {
    const w = tf.tensor2d(Float32Array.from(grid.w), [n, 1]);
    const terms: tf.Tensor[] = [];
    if (k.c1)
      terms.push(
        tf.mean(
          tf.square(
            tf.div(tf.sub(tf.matMul(values, w), tf.tensor2d(Float32Array.from(k.c1), [K, 1])), grid.W),
          ),
        ),
      );
    if (k.c2) {
      terms.push(
        tf.mean(
          tf.square(
            tf.div(
              tf.sub(tf.matMul(tf.square(values), w), tf.tensor2d(Float32Array.from(k.c2), [K, 1])),
              grid.W,
            ),
          ),
        ),
      );
    }
    return tf.mul(terms.length === 1 ? terms[0] : tf.addN(terms), lambda) as tf.Scalar;
  });
}

/**
 * Evaluates a network on the quadrature grid at `times` → `[K, n]` (owned). The grid comes as in
 * {@link withProjection} (a Quadrature, or nodes plus weights).
 *
 * @example
 * const U = evaluateOnGrid(model, quadrature('uniform', [0, 2], 256), timeGrid(0, 0.99, 100));
 */
export function evaluateOnGrid(
  net: NetLike,
  grid: { nodes: ArrayLike<number>; dim?: number; n?: number },
  times: ArrayLike<number>,
): tf.Tensor2D {
  const fn = 'evaluateOnGrid';
  const dim = grid?.dim ?? 1;
  if (!grid || !grid.nodes || grid.nodes.length % dim !== 0)
    invalid([fn, 'grid'], 'a Quadrature or { nodes, dim }', grid);
  if (!times || times.length === 0) invalid([fn, 'times'], 'a non-empty array of times', times);
  const n = grid.nodes.length / dim;
  const K = times.length;
  return tf.tidy(() => {
    const X = tf.tile(tf.tensor2d(Float32Array.from(grid.nodes), [n, dim]), [K, 1]);
    const t = new Float32Array(K * n);
    for (let k = 0; k < K; k++) t.fill(times[k], k * n, (k + 1) * n);
    const G = tf.concat([X, tf.tensor2d(t, [K * n, 1])], 1) as tf.Tensor2D;
    return tf.reshape(callNet(net, G, fn), [K, n]) as tf.Tensor2D;
  });
}

/**
 * The penalty baseline for a pointwise network: evaluates `net` on the grid at `times` and applies
 * {@link integralPenalty}.
 *
 * @returns a scalar owned by the caller.
 * @example
 * const loss = tf.add(pdeLoss, penaltyLoss(model, { grid: q, constraint, times: timeGrid(0, 0.99, 100), lambda: 10 }));
 */
export function penaltyLoss(
  net: NetLike,
  options: Pick<WithProjectionOptions, 'constraint'> & {
    grid: { nodes: ArrayLike<number>; weights: ArrayLike<number>; dim?: number };
    times: ArrayLike<number>;
    lambda?: number;
  },
): tf.Scalar {
  return tf.tidy(() => {
    const U = evaluateOnGrid(net, options.grid, options.times);
    return integralPenalty(U, options.grid.weights, {
      constraint: options.constraint,
      times: options.times,
      lambda: options.lambda,
    });
  });
}
