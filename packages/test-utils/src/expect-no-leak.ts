import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * Runs `fn`, disposes the tensors it returns (any `tf.TensorContainer`: a tensor, an array or an object of
 * tensors; other values are left alone) and asserts that `tf.memory().numTensors` is back where it was:
 * the function leaked nothing. `label` names the case in the failure message.
 *
 * @example
 * expectNoLeak(() => hessian(f)(x), 'hessian');
 */
export function expectNoLeak(fn: () => unknown, label?: string): void {
  const before = tf.memory().numTensors;
  const out = fn();
  tf.dispose(out as tf.TensorContainer);
  expect(tf.memory().numTensors, label).toBe(before);
}

/** {@link expectNoLeak} for an async function (training loops, checkpoint I/O). */
export async function expectNoLeakAsync(fn: () => Promise<unknown>, label?: string): Promise<void> {
  const before = tf.memory().numTensors;
  const out = await fn();
  tf.dispose(out as tf.TensorContainer);
  expect(tf.memory().numTensors, label).toBe(before);
}
