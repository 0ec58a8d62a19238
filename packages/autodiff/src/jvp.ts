import * as tf from '@tensorflow/tfjs';
import { reversePass } from './core-gradients';
import type { TensorFunction } from './grad';
import { assertFunction, assertShape, assertTensor, checkOutput } from './validate';

/**
 * Jacobian-vector product (forward-mode derivative) `jvp(f, x, v) = { value: f(x), jvp: J_f(x) v }`, shape of
 * `f(x)`, by the double-vjp trick: `u -> vjp(f, x, u)` is linear in `u`, so `J v = ∇_u <vjp(f, x, u), v>`.
 * Costs two forward and two reverse passes; exact and differentiable again.
 *
 * @param f - any tensor function.
 * @param x - the point, borrowed.
 * @param v - the tangent, same shape as `x`, borrowed.
 * @returns `{ value, jvp }`, owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT`; `SHAPE_MISMATCH` when `v` does not have the shape of `x`.
 * @example
 * const { jvp: t } = jvp((x) => tf.square(x), tf.tensor1d([1, 2]), tf.tensor1d([1, 1])); // [2, 4]
 * @see J. Townsend, "A new trick for calculating Jacobian vector products" (2017).
 */
export function jvp(f: TensorFunction, x: tf.Tensor, v: tf.Tensor): { value: tf.Tensor; jvp: tf.Tensor } {
  assertFunction('jvp', 'f', f);
  assertTensor({ fn: 'jvp', name: 'x' }, x);
  assertTensor({ fn: 'jvp', name: 'v' }, v);
  assertShape({ fn: 'jvp', name: 'v' }, v, x.shape);
  return tf.tidy(() => {
    const value = checkOutput('jvp', f(x));
    const u = tf.zerosLike(value);
    const { grad } = reversePass(() => tf.sum(tf.mul(reversePass(() => f(x), x, u).grad, v)), u);
    return { value, jvp: grad };
  });
}
