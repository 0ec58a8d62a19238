import * as tf from '@tensorflow/tfjs';
import { reversePass } from './core-gradients';
import { assertFunction, assertTensor, checkScalarOutput } from './validate';

/** A function of one tensor, as the transforms take it. */
export type TensorFunction = (x: tf.Tensor) => tf.Tensor;

/**
 * The gradient of a scalar function: `grad(f)(x) = ∇f(x)`, same shape as `x`.
 *
 * Works at any nesting depth (`grad(x => grad(f)(x).sum())` is exact once this package is imported) and
 * records on an enclosing tape, so `tf.variableGrads` of a loss built from it is exact too.
 *
 * @param f - `(x) => scalar`; must return a rank-0 float32 tensor.
 * @returns `(x) => ∇f(x)`; `x` is borrowed, the result is owned by the caller. A gradient of a function that
 *   does not depend on `x` is zero (not an error, unlike `tf.grad`).
 * @throws {AutodiffError} `INVALID_ARGUMENT` when `f` is not a function or `x` is not a float32 tensor;
 *   `NOT_SCALAR` when `f(x)` is not a scalar.
 * @example
 * const g = grad((x) => tf.sum(tf.tanh(x)));
 * g(tf.tensor1d([0, 1])).print(); // [1, 0.41997]
 * @see Griewank & Walther, Evaluating Derivatives, 2nd ed. (SIAM 2008), ch. 3 (reverse mode).
 */
export function grad(f: TensorFunction): (x: tf.Tensor) => tf.Tensor {
  assertFunction('grad', 'f', f);
  return (x: tf.Tensor) => {
    assertTensor({ fn: 'grad', name: 'x' }, x);
    return tf.tidy(() => reversePass(() => checkScalarOutput('grad', f(x)), x).grad);
  };
}

/**
 * The value and gradient of a scalar function in one pass: `valueAndGrad(f)(x) = { value: f(x), grad: ∇f(x) }`.
 *
 * @param f - `(x) => scalar`.
 * @returns `(x) => { value, grad }`; both owned by the caller.
 * @throws {AutodiffError} as {@link grad}.
 * @example
 * const { value, grad: g } = valueAndGrad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2]));
 * // value = 5, g = [2, 4]
 * @see Griewank & Walther (2008), ch. 3.
 */
export function valueAndGrad(f: TensorFunction): (x: tf.Tensor) => { value: tf.Scalar; grad: tf.Tensor } {
  assertFunction('valueAndGrad', 'f', f);
  return (x: tf.Tensor) => {
    assertTensor({ fn: 'valueAndGrad', name: 'x' }, x);
    return tf.tidy(() => {
      const { value, grad: g } = reversePass(() => checkScalarOutput('valueAndGrad', f(x)), x);
      return { value: value as tf.Scalar, grad: g };
    });
  };
}
