import * as tf from '@tensorflow/tfjs';
import { reversePass } from './core-gradients';
import type { TensorFunction } from './grad';
import { assertFunction, assertShape, assertTensor, checkScalarOutput } from './validate';

/**
 * Hessian-vector product of a scalar function, `hvp(f, x, v) = { value: f(x), hvp: ∇²f(x) v }` (shape of `x`),
 * by reverse-over-reverse: `∇_x <∇f(x), v>`. One forward and two reverse passes; never forms the Hessian.
 *
 * @param f - `(x) => scalar`.
 * @param x - the point, borrowed.
 * @param v - the direction, same shape as `x`, borrowed.
 * @returns `{ value, hvp }`, owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT`; `NOT_SCALAR`; `SHAPE_MISMATCH` when `v` does not match `x`.
 * @example
 * const { hvp: h } = hvp((x) => tf.sum(tf.pow(x, 3)), tf.tensor1d([1, 2]), tf.tensor1d([1, 0])); // [6, 0]
 * @see B. A. Pearlmutter, "Fast exact multiplication by the Hessian", Neural Computation 6 (1994).
 */
export function hvp(f: TensorFunction, x: tf.Tensor, v: tf.Tensor): { value: tf.Scalar; hvp: tf.Tensor } {
  assertFunction('hvp', 'f', f);
  assertTensor({ fn: 'hvp', name: 'x' }, x);
  assertTensor({ fn: 'hvp', name: 'v' }, v);
  assertShape({ fn: 'hvp', name: 'v' }, v, x.shape);
  return tf.tidy(() => {
    let value: tf.Tensor | null = null;
    const { grad } = reversePass(() => {
      const inner = reversePass(() => checkScalarOutput('hvp', f(x)), x);
      value = tf.keep(inner.value);
      return tf.sum(tf.mul(inner.grad, v));
    }, x);
    const kept = value as unknown as tf.Tensor;
    const out = tf.clone(kept);
    kept.dispose();
    return { value: out as tf.Scalar, hvp: grad };
  });
}
