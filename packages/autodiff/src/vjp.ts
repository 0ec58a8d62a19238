import * as tf from '@tensorflow/tfjs';
import { reversePass } from './core-gradients';
import type { TensorFunction } from './grad';
import { assertFunction, assertShape, assertTensor, checkOutput } from './validate';

/**
 * Vector-Jacobian product: `vjp(f, x, dy) = { value: f(x), vjp: dy^T J_f(x) }` (shape of `x`), one reverse pass.
 *
 * @param f - any tensor function.
 * @param x - the point, borrowed.
 * @param dy - the cotangent, same shape as `f(x)`, borrowed.
 * @returns `{ value, vjp }`, owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for a non-function `f` or non-tensor `x`/`dy`;
 *   `SHAPE_MISMATCH` when `dy` does not have the shape of `f(x)`.
 * @example
 * const { vjp: v } = vjp((x) => tf.sin(x), tf.tensor1d([0, 1]), tf.tensor1d([1, 2])); // [1, 2 cos 1]
 * @see Griewank & Walther (2008), ch. 3.
 */
export function vjp(f: TensorFunction, x: tf.Tensor, dy: tf.Tensor): { value: tf.Tensor; vjp: tf.Tensor } {
  assertFunction('vjp', 'f', f);
  assertTensor({ fn: 'vjp', name: 'x' }, x);
  assertTensor({ fn: 'vjp', name: 'dy' }, dy);
  return tf.tidy(() => {
    const { value, grad } = reversePass(
      () => {
        const y = checkOutput('vjp', f(x));
        assertShape({ fn: 'vjp', name: 'dy' }, dy, y.shape);
        return y;
      },
      x,
      dy,
    );
    return { value, vjp: grad };
  });
}
