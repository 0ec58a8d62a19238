import * as tf from '@tensorflow/tfjs';

/**
 * Reverse pass through tfjs's engine: runs `f` on the tape and returns its value and the vector-Jacobian
 * product `dy^T df/dx` (`dy` defaults to ones). Unlike `tf.grad`, an output that does not depend on `x`
 * yields a zero gradient instead of an error, so derivatives of constants (the Hessian of a linear function)
 * compose. Nested calls record on the enclosing tape, so results are differentiable again.
 */
export function reversePass(
  f: () => tf.Tensor,
  x: tf.Tensor,
  dy?: tf.Tensor,
): { value: tf.Tensor; grad: tf.Tensor } {
  const { value, grads } = tf.engine().gradients(f, [x], dy, true);
  const grad = grads[0] ?? tf.zerosLike(x);
  return { value, grad };
}
