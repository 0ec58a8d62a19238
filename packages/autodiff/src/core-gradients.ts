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
  let result: { value: tf.Tensor; grads: tf.Tensor[] };
  try {
    result = tf.engine().gradients(f, [x], dy, true);
  } catch (error) {
    disposeAbandonedTape();
    throw error;
  }
  const grad = result.grads[0] ?? tf.zerosLike(x);
  return { value: result.value, grad };
}

/**
 * Releases the tensors tfjs keeps for a backward pass that never ran. When the function given to
 * `tf.engine().gradients`, `tf.variableGrads` or `tf.grad` throws (a non-scalar output, a user error), tfjs
 * leaves the tensors saved on its tape allocated; call this in the `catch` to free them. It does nothing while
 * an outer gradient is still being recorded (nested gradients clean up at the outermost level).
 *
 * @example
 * try { tf.variableGrads(loss, vars); } catch (e) { disposeAbandonedTape(); throw e; }
 */
export function disposeAbandonedTape(): void {
  const state = tf.engine().state as unknown as {
    gradientDepth: number;
    activeTape: Array<{ saved?: tf.Tensor[] }> | null;
  };
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}
