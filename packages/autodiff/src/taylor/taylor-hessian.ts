import * as tf from '@tensorflow/tfjs';
import type { TensorFunction } from '../grad';
import { checkRowScalarOutput } from '../validate';
import { coefficientOrZeros, runJets } from './run-jets';

/**
 * Per-row Hessians `[batch, d, d]` of a row-wise scalar function by Taylor mode and polarization: order-2
 * jets along the d(d+1)/2 directions e_i (i = j) and e_i + e_j (i < j), all rows of the batch at once, give
 * `c_2(v) = vᵀ H v / 2`, so `H_ii = 2 c_2(e_i)` and `H_ij = c_2(e_i + e_j) - (H_ii + H_jj) / 2`. One forward
 * pass instead of a reverse-over-reverse pass over d stacked copies. Must run inside `tf.tidy`.
 */
export function taylorBatchedHessian(fn: string, f: TensorFunction, x: tf.Tensor2D): tf.Tensor {
  const [batch, d] = x.shape;
  const pairs: [number, number][] = [];
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) pairs.push([i, j]);
  const directions = pairs.map(([i, j]) => {
    const v = new Float32Array(batch * d);
    for (let b = 0; b < batch; b++) {
      v[b * d + i] = 1;
      v[b * d + j] = 1;
    }
    return tf.tensor2d(v, [batch, d]);
  });
  const layout = { order: 2, widths: [pairs.length, pairs.length], collapsed: false };
  const { value, jet } = runJets(fn, f, { x, directions, layout });
  checkRowScalarOutput(fn, value, batch);
  const c2 = tf.reshape(coefficientOrZeros(jet, 2, pairs.length), [pairs.length, batch]);
  const second = tf.unstack(c2);
  const diag = new Map<number, tf.Tensor>();
  pairs.forEach(([i, j], p) => i === j && diag.set(i, tf.mul(second[p], 2)));
  const entries: tf.Tensor[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) {
        entries.push(diag.get(i) as tf.Tensor);
        continue;
      }
      const p = pairs.findIndex(([a, b]) => a === Math.min(i, j) && b === Math.max(i, j));
      const both = tf.add(diag.get(i) as tf.Tensor, diag.get(j) as tf.Tensor);
      entries.push(tf.sub(second[p], tf.mul(both, 0.5)));
    }
  }
  return tf.reshape(tf.stack(entries, 1), [batch, d, d]);
}
