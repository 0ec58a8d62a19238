import * as tf from '@tensorflow/tfjs';
import { blockSelector, blockTrace, tileRows } from './batch-tiling';
import { reversePass } from './core-gradients';
import type { TensorFunction } from './grad';
import type { BatchOptions } from './jacobian';
import { AutodiffError, describeValue } from './errors';
import { assertFunction, assertTensor, checkOutput } from './validate';

/**
 * The divergence `∇·f(x) = Σ_i ∂f_i/∂x_i` of a vector field with `f(x).shape == x.shape`.
 *
 * - unbatched: a scalar; one reverse pass per entry of x.
 * - `batched: true`: `x` and `f(x)` are `[batch, d]`, row-independent; result `[batch]`, from one reverse pass
 *   over d stacked copies of the batch.
 *
 * @param f - the vector field.
 * @returns `(x) => ∇·f`, owned by the caller; `x` borrowed.
 * @throws {AutodiffError} `INVALID_ARGUMENT`; `SHAPE_MISMATCH` when `f(x)` does not have the shape of `x`.
 * @example
 * // A Hamiltonian vector field J∇H is divergence-free (Liouville):
 * const div = divergence((x) => tf.concat([x.slice([0, 1], [-1, 1]), x.slice([0, 0], [-1, 1]).neg()], 1),
 *   { batched: true })(tf.randomNormal([8, 2], 0, 1, 'float32', 1)); // zeros
 * @see V. I. Arnold, Mathematical Methods of Classical Mechanics (1989), §16 (Liouville's theorem).
 */
export function divergence(f: TensorFunction, options: BatchOptions = {}): (x: tf.Tensor) => tf.Tensor {
  assertFunction('divergence', 'f', f);
  const batched = options.batched ?? false;
  const field = (x: tf.Tensor) => {
    const y = checkOutput('divergence', f(x));
    if (y.shape.length !== x.shape.length || y.shape.some((n, i) => n !== x.shape[i])) {
      throw new AutodiffError(
        'SHAPE_MISMATCH',
        `divergence(): argument 'f' must return a tensor of the shape of x [${x.shape.join(', ')}], got ${describeValue(y)}`,
      );
    }
    return y;
  };
  return (x: tf.Tensor) => {
    assertTensor({ fn: 'divergence', name: 'x' }, x, batched ? 2 : undefined);
    return tf.tidy(() => {
      if (batched) {
        const [batch, d] = x.shape as [number, number];
        const xs = tileRows(x as tf.Tensor2D, d);
        const selector = blockSelector(batch, d);
        const { grad } = reversePass(() => tf.sum(tf.mul(field(xs), selector)), xs);
        return blockTrace(grad, batch, d);
      }
      const n = x.size;
      let total: tf.Tensor = tf.scalar(0);
      for (let i = 0; i < n; i++) {
        const select = tf.oneHot(i, n).asType('float32').reshape(x.shape);
        total = tf.add(total, tf.sum(tf.mul(reversePass(() => field(x), x, select).grad, select)));
      }
      return total;
    });
  };
}
