import * as tf from '@tensorflow/tfjs';
import { shapeMismatch } from './errors';

/**
 * Mean over the batch of the relative L2 error `‖pred_i − target_i‖₂ / ‖target_i‖₂` (each sample flattened
 * over space and channels): the FNO paper's loss and metric. Differentiable; a scalar owned by the caller.
 *
 * @param pred - `[batch, ...]`, borrowed.
 * @param target - same shape, borrowed.
 * @param options - `normFloor` keeps the denominator away from zero (default 1e-12).
 * @throws {OperatorsError} `SHAPE_MISMATCH` when the shapes differ.
 * @example
 * const loss = relativeL2(fno.apply(x), y);
 */
export function relativeL2(
  pred: tf.Tensor,
  target: tf.Tensor,
  options: { normFloor?: number } = {},
): tf.Scalar {
  if (
    !(pred instanceof tf.Tensor) ||
    !(target instanceof tf.Tensor) ||
    pred.shape.join() !== target.shape.join()
  )
    shapeMismatch(
      ['relativeL2', 'target'],
      `a tensor of the prediction's shape [${pred?.shape?.join(', ')}]`,
      target,
    );
  const floor = options.normFloor ?? 1e-12;
  return tf.tidy(() => {
    const b = pred.shape[0];
    const d = tf.reshape(tf.sub(pred, target), [b, -1]);
    const t = tf.reshape(target, [b, -1]);
    const num = tf.sqrt(tf.sum(tf.square(d), 1));
    const den = tf.maximum(tf.sqrt(tf.sum(tf.square(t), 1)), floor);
    return tf.mean(tf.div(num, den)) as tf.Scalar;
  });
}

/**
 * Float64 relative L2 per sample: `‖p_i − t_i‖ / ‖t_i‖` for samples of `size` values each.
 * @example
 * const errs = relativeL264(pred, target, 256);
 */
export function relativeL264(pred: ArrayLike<number>, target: ArrayLike<number>, size: number): Float64Array {
  if (pred.length !== target.length || size <= 0 || pred.length % size !== 0)
    shapeMismatch(['relativeL264', 'target'], `arrays of equal length divisible by ${size}`, target);
  const m = pred.length / size;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let num = 0;
    let den = 0;
    for (let j = i * size; j < (i + 1) * size; j++) {
      num += (pred[j] - target[j]) ** 2;
      den += target[j] ** 2;
    }
    out[i] = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
  }
  return out;
}
