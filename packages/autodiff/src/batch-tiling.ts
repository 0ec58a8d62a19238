import * as tf from '@tensorflow/tfjs';

/**
 * The batched fast path rests on one identity: when row i of `f(X)` depends only on row i of `X`, the
 * per-row derivatives along coordinate k for ALL rows come from a single reverse pass of `sum_b f(X)[b, k]`.
 * Stacking k = 0..m-1 as m copies of the batch (`tileRows`) and weighting copy k by the unit vector e_k
 * (`blockSelector`) gets every component in one reverse pass over an `m * batch` batch: O(m) work, not
 * O(batch * m) separate passes.
 */

/** `[batch, d] -> [copies * batch, d]`: the batch repeated `copies` times (copy k is rows kB..kB+B-1). */
export function tileRows(x: tf.Tensor2D, copies: number): tf.Tensor2D {
  return copies === 1 ? x : tf.tile(x, [copies, 1]);
}

/** `[copies * batch, copies]` with row kB + b equal to e_k: selects component k in copy k. */
export function blockSelector(batch: number, copies: number): tf.Tensor2D {
  return tf.tidy(() => {
    const eye = tf.eye(copies);
    return tf.reshape(tf.tile(tf.reshape(eye, [copies, 1, copies]), [1, batch, 1]), [copies * batch, copies]);
  });
}

/** `[copies * batch, d] -> [batch, copies, d]`. */
export function untileRows(y: tf.Tensor, batch: number, copies: number): tf.Tensor3D {
  const d = y.shape[1] as number;
  return tf.transpose(tf.reshape(y, [copies, batch, d]), [1, 0, 2]);
}

/** The per-row trace of `[copies * batch, copies]` blocks: `sum_k y[kB + b, k]` -> `[batch]`. */
export function blockTrace(y: tf.Tensor, batch: number, copies: number): tf.Tensor1D {
  return tf.sum(tf.mul(y, blockSelector(batch, copies)).reshape([copies, batch, copies]), [0, 2]);
}
