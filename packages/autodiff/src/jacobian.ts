import * as tf from '@tensorflow/tfjs';
import { blockSelector, tileRows, untileRows } from './batch-tiling';
import { reversePass } from './core-gradients';
import { AutodiffError, describeValue } from './errors';
import type { TensorFunction } from './grad';
import { assertFunction, assertTensor, checkOutput } from './validate';

/** Options of the derivative transforms. */
export interface BatchOptions {
  /**
   * Treat `x` as a `[batch, d]` batch of independent points: row i of `f(x)` must depend only on row i of `x`.
   * Results are per row, computed in O(output dimension) reverse passes over the whole batch. Default `false`.
   */
  batched?: boolean;
}

function unbatchedJacobian(f: TensorFunction, x: tf.Tensor): tf.Tensor {
  const y0 = checkOutput('jacobian', f(x));
  const m = y0.size;
  const rows: tf.Tensor[] = [];
  for (let i = 0; i < m; i++) {
    const select = tf.oneHot(i, m).asType('float32').reshape(y0.shape);
    rows.push(tf.reshape(reversePass(() => f(x), x, select).grad, [x.size]));
  }
  return tf.reshape(tf.stack(rows), [...y0.shape, ...x.shape]);
}

function batchedJacobian(f: TensorFunction, x: tf.Tensor2D): tf.Tensor {
  const [batch, d] = x.shape;
  const probe = checkOutput('jacobian', f(tf.slice(x, [0, 0], [1, d])));
  if (probe.rank === 1) {
    return reversePass(() => checkOutput('jacobian', f(x)).reshape([batch]), x).grad;
  }
  if (probe.rank !== 2) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `jacobian(): argument 'f' must return [batch] or [batch, m] when batched, got ${describeValue(probe)} for one row`,
    );
  }
  const m = probe.shape[1] as number;
  const xs = tileRows(x, m);
  const selector = blockSelector(batch, m);
  const { grad } = reversePass(() => tf.sum(tf.mul(checkOutput('jacobian', f(xs)), selector)), xs);
  return untileRows(grad, batch, m);
}

/**
 * The Jacobian of `f` at `x`.
 *
 * - unbatched: `J[...out, ...in] = ∂f(x)[out] / ∂x[in]`, shape `[...f(x).shape, ...x.shape]`, one reverse pass
 *   per output entry.
 * - `batched: true`: `x` is `[batch, d]`, `f(x)` is `[batch, m]` (result `[batch, m, d]`, J[b] = ∂f_b/∂x_b) or
 *   `[batch]` (result `[batch, d]`, the per-row gradient). One reverse pass over `m` stacked copies of the batch.
 *
 * @param f - the function; with `batched`, row-independent.
 * @returns `(x) => J`, owned by the caller; `x` borrowed.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for a non-function, a non-tensor or (batched) non-rank-2 `x`,
 *   or a batched `f` with an output of another rank.
 * @example
 * const J = jacobian((x) => tf.stack([tf.sum(tf.square(x)), tf.prod(x)]))(tf.tensor1d([1, 2]));
 * // [[2, 4], [2, 1]]
 * @see Griewank & Walther (2008), ch. 7 (Jacobians by reverse sweeps).
 */
export function jacobian(f: TensorFunction, options: BatchOptions = {}): (x: tf.Tensor) => tf.Tensor {
  assertFunction('jacobian', 'f', f);
  const batched = options.batched ?? false;
  return (x: tf.Tensor) => {
    assertTensor({ fn: 'jacobian', name: 'x' }, x, batched ? 2 : undefined);
    return tf.tidy(() => (batched ? batchedJacobian(f, x as tf.Tensor2D) : unbatchedJacobian(f, x)));
  };
}
